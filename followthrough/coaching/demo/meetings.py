"""Demo history of the follow-through: meetings."""

from __future__ import annotations

import datetime as dt

from followthrough.people.models import Organisation


def seed(org: Organisation, today: dt.date) -> None:
    """Add this part's demo records to the demo organisation."""
