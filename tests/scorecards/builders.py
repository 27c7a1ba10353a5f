"""Hand-built data shared by the scorecard and dashboard tests.

Today is 16 March 2026: 16 of March's 31 days have begun.
Rita (rep, team Alpha): won 1 deal in December, 2 in January, none in February,
and in March won 1,000 and 3,000 and lost one. Rob (rep, Alpha, in role since
1 February 2026): won one deal of 500 in March. Olga (rep, Beta) won 5 in March.
Goals for March on deals_won: Rita 4, Rob 4 (ramped: month 2 of tenure, 50 % = 2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from followthrough.goals.models import Goal
from followthrough.lib.periods import PeriodKind, period_of
from tests.metrics.helpers import deal

TODAY = dt.date(2026, 3, 16)
MARCH = period_of(PeriodKind.MONTH, TODAY)


def build_sales(cast) -> None:
    org = cast.org
    won = {"outcome": "won", "created": dt.date(2025, 11, 1)}
    deal(org, cast.rep, closed=dt.date(2025, 12, 10), amount=100, **won)
    deal(org, cast.rep, closed=dt.date(2026, 1, 5), amount=100, **won)
    deal(org, cast.rep, closed=dt.date(2026, 1, 20), amount=100, **won)
    deal(org, cast.rep, closed=dt.date(2026, 3, 2), amount=1000, **won)
    deal(org, cast.rep, closed=dt.date(2026, 3, 9), amount=3000, **won)
    deal(org, cast.rep, closed=dt.date(2026, 3, 10), outcome="lost", created=dt.date(2026, 1, 1))
    deal(org, cast.rep2, closed=dt.date(2026, 3, 3), amount=500, **won)
    for day in range(1, 6):
        deal(org, cast.other_rep, closed=dt.date(2026, 3, day), amount=10, **won)
    cast.rep2.role_since = dt.date(2026, 2, 1)
    cast.rep2.save()
    for person in (cast.rep, cast.rep2):
        Goal.objects.create(
            organisation=org,
            person=person,
            metric_key="deals_won",
            period_kind=PeriodKind.MONTH,
            start=MARCH.start,
            end=MARCH.end,
            target=Decimal(4),
        )
