"""Monthly figures of many people at once, read through the metric engine (one computation).

Every rule of the three rights and the projection reads its numbers here, so a
diagnosis and a scorecard never disagree: they are the same metrics
(docs/metrics.md), over calendar months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from followthrough.lib.periods import Period, PeriodKind, last_periods, period_of
from followthrough.metrics import engine
from followthrough.people.models import Organisation

ZERO = Decimal(0)

# The metrics the diagnoses read (built-ins, see metrics/catalog.py).
PROSPECTING = ("cold_calls", "cold_emails")
KEYS = (
    "cold_calls",
    "cold_emails",
    "meetings_booked_calls",
    "meetings_booked_emails",
    "new_business_created",
    "new_business_won",
    "new_business_closed",
    "deals_created",
    "deals_won",
    "revenue_won",
)


def months_until(day: dt.date, count: int) -> list[Period]:
    """`count` calendar months ending with the month of `day`, oldest first."""
    return last_periods(period_of(PeriodKind.MONTH, day), count)


@dataclass
class Monthly:
    """(person id, metric key) -> one value per month, oldest first; zeros where nothing happened."""

    months: list[Period]
    people: list[int]
    values: dict[tuple[int, str], list[Decimal]]

    def series(self, person_id: int, key: str) -> list[Decimal]:
        return self.values.get((person_id, key)) or [ZERO] * len(self.months)

    def total(self, person_ids: Collection[int], key: str) -> list[Decimal]:
        """The months' sums over some people."""
        sums = [ZERO] * len(self.months)
        for person_id in person_ids:
            for index, value in enumerate(self.series(person_id, key)):
                sums[index] += value
        return sums

    def index_of(self, month: Period) -> int:
        return [m.start for m in self.months].index(month.start)


def monthly(
    org: Organisation,
    person_ids: Collection[int],
    months: Sequence[Period],
    keys: Sequence[str] = KEYS,
) -> Monthly:
    """The metrics' monthly values for these people (one engine computation, a few queries)."""
    people = list(person_ids)
    months = list(months)
    results = engine.compute(org, list(keys), months, people)
    values: dict[tuple[int, str], list[Decimal]] = {}
    for person_id in people:
        for key in keys:
            row = [results.get(person_id, key, month).value for month in months]
            values[(person_id, key)] = [ZERO if v is None else Decimal(v) for v in row]
    return Monthly(months, people, values)
