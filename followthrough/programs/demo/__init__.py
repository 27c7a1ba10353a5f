"""The demo organisation's programs: parts run in order, each reading what the earlier made."""

from __future__ import annotations

import datetime as dt

from followthrough.people.models import Organisation
from followthrough.programs.demo import programs

PARTS = (programs,)


def seed_programs(org: Organisation, today: dt.date) -> None:
    for part in PARTS:
        part.seed(org, today)
