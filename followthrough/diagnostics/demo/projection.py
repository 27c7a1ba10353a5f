"""The demo's projection (see diagnostics/demo/__init__.py)."""

from __future__ import annotations

import datetime as dt

from followthrough.people.models import Organisation


def seed(org: Organisation, today: dt.date) -> None:
    pass
