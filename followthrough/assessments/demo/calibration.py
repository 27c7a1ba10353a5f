"""The demo organisation's calibration across managers."""

from __future__ import annotations

import datetime as dt

from followthrough.people.models import Organisation


def seed(org: Organisation, today: dt.date) -> None:
    pass
