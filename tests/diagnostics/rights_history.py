"""A small hand-built history for the three-rights tests (Alpha: Rita and Rob; Beta: Olga).

Nov 2025 - May 2026, every month (May is the month judged; its rates are Nov-Apr):
- Rita: 100 cold calls (4 meetings) and 100 cold e-mails (1 meeting); 2 new-business
  deals created (on the 5th), 1 of them won (on the 20th). In May only 30 calls (1 meeting) and 30 e-mails (no meeting).
- Rob: 200 cold e-mails (2 meetings), no calls; 2 new deals created a month, won only
  in Nov, Dec and Jan (3 wins: too few for his own rates).
- Olga: 10 deals won in April 2026, 3 of them Services (the mix test).
Both Alpha reps have a deals-won goal of 1 a month, March to May.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from followthrough.crm.models import Activity, Deal
from followthrough.goals.models import Goal, PeriodKindChoice, RampChoice
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import rollups
from tests.metrics.helpers import product

TODAY = dt.date(2026, 6, 15)
MAY = period_of(PeriodKind.MONTH, dt.date(2026, 5, 1))
MONTHS = [dt.date(2025, 11, 1), dt.date(2025, 12, 1)] + [dt.date(2026, m, 1) for m in range(1, 6)]
_ids = itertools.count(1)


def _activities(org, owner, first: dt.date, type_: str, count: int, meetings: int) -> list:
    rows = []
    for n in range(count):
        day = first + dt.timedelta(days=n % 20)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)), dt.UTC)
        rows.append(
            Activity(
                organisation=org,
                source="test",
                external_id=f"ra{next(_ids)}",
                owner=owner,
                type=type_,
                is_cold=True,
                direction="outbound",
                occurred_at=at,
                occurred_on=day,
                outcome="meeting_booked" if n < meetings else "",
            )
        )
    return rows


def _deal(org, owner, created, closed=None, outcome="open", **extra) -> Deal:
    return Deal(
        organisation=org,
        source="test",
        external_id=f"rd{next(_ids)}",
        owner=owner,
        created_on=created,
        close_on=closed,
        outcome=outcome,
        amount=Decimal(1000),
        **extra,
    )


def build(case) -> None:
    org = case.org
    activities, deals = [], []
    for first in MONTHS:
        may = first.month == 5
        activities += _activities(org, case.rep, first, "call", 30 if may else 100, 1 if may else 4)
        activities += _activities(
            org, case.rep, first, "email", 30 if may else 100, 0 if may else 1
        )
        activities += _activities(org, case.rep2, first, "email", 200, 2)
        created, won = first + dt.timedelta(days=4), first + dt.timedelta(days=19)
        rob_wins = first < dt.date(2026, 2, 1)
        deals.append(_deal(org, case.rep, created))
        deals.append(_deal(org, case.rep, created, won, "won"))
        deals.append(_deal(org, case.rep2, created))
        deals.append(_deal(org, case.rep2, created, *((won, "won") if rob_wins else ())))
    services, platform = product(org, "Care", "Services"), product(org, "Core", "Platform")
    for n in range(10):
        deals.append(
            _deal(
                org,
                case.other_rep,
                dt.date(2026, 1, 5),
                dt.date(2026, 4, 10 + n),
                "won",
                product=services if n < 3 else platform,
            )
        )
    Activity.objects.bulk_create(activities)
    Deal.objects.bulk_create(deals)
    for person in (case.rep, case.rep2):
        for month in (3, 4, 5):
            start = dt.date(2026, month, 1)
            Goal.objects.create(
                organisation=org,
                person=person,
                metric_key="deals_won",
                period_kind=PeriodKindChoice.MONTH,
                start=start,
                end=period_of(PeriodKind.MONTH, start).end,
                target=Decimal(1),
                ramp=RampChoice.NONE,
            )
    rollups.rebuild(org.pk)
