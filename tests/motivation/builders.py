"""A week of wins for the contest tests (Rita, Rob and Olga from tests/cast.py)."""

from __future__ import annotations

import datetime as dt

from followthrough.motivation.models import Contest, ContestStatus, Format
from tests.metrics.helpers import deal

MONDAY = dt.date(2026, 3, 9)
SUNDAY = dt.date(2026, 3, 15)
TODAY = dt.date(2026, 3, 12)  # Thursday
BEFORE = dt.date(2026, 3, 2)  # Monday of the week before


def won(case, person, day: dt.date, amount: int = 1000):
    return deal(
        case.org,
        person,
        created=day - dt.timedelta(days=20),
        closed=day,
        outcome="won",
        amount=amount,
    )


def build_week(case) -> None:
    """Rita wins Monday and Tuesday, Rob Monday and Wednesday, Olga once on Tuesday;
    the week before, Rita won once and Rob not at all."""
    won(case, case.rep, MONDAY, 5000)
    won(case, case.rep, MONDAY + dt.timedelta(days=1), 2000)
    won(case, case.rep2, MONDAY, 1000)
    won(case, case.rep2, MONDAY + dt.timedelta(days=2), 1000)
    won(case, case.other_rep, MONDAY + dt.timedelta(days=1), 3000)
    won(case, case.rep, BEFORE + dt.timedelta(days=3), 4000)


def contest(case, **fields) -> Contest:
    values = {
        "organisation": case.org,
        "name": "Wins this week",
        "metric_key": "deals_won",
        "start": MONDAY,
        "end": SUNDAY,
        "format": Format.RANKING,
        "top_n": 1,
        "status": ContestStatus.OPEN,
        "created_by": case.manager,
    }
    values.update(fields)
    return Contest.objects.create(**values)
