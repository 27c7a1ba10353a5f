"""Which target applies to a period, from the goals set for nearby periods. Pure, no database.

A goal set for exactly the period wins. Otherwise, for a figure that adds up
over time (counts, sums), the target is built from goals of one kind that
cover every day of the period, each contributing in proportion to the days it
shares with it: three monthly goals make a quarter's target, a monthly goal
gives a week its share. For a rate or an average a goal set for a period that
contains this one applies as it is (a 30 % win rate for the quarter is 30 % for
each of its months). Ramps for new hires (see ramp.py) scale each goal's
contribution by the mean share over the days it contributes; they apply to
figures that add up, not to rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from followthrough.goals.ramp import ramp_factor
from followthrough.lib.periods import Period, PeriodKind

# Finest first: when goals of several kinds could build a target, the finest wins.
KIND_ORDER = (
    PeriodKind.WEEK,
    PeriodKind.MONTH,
    PeriodKind.QUARTER,
    PeriodKind.YEAR,
    PeriodKind.FISCAL_YEAR,
    PeriodKind.CUSTOM,
)


@dataclass(frozen=True)
class Span:
    """A target set for the days start..end (inclusive)."""

    start: dt.date
    end: dt.date
    kind: str
    target: Decimal
    # The ramp's monthly shares for new hires; empty means no ramp.
    shares: tuple[int, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _overlap(span: Span, period: Period) -> int:
    start, end = max(span.start, period.start), min(span.end, period.end)
    return max((end - start).days + 1, 0)


def _part(span: Span, period: Period, role_since: dt.date | None) -> Decimal:
    """What `span` contributes to `period`: its target pro rata by days, ramped."""
    start, end = max(span.start, period.start), min(span.end, period.end)
    share = span.target * ((end - start).days + 1) / span.days
    return share * ramp_factor(span.shares, role_since, Period(start, end))


def target_for(
    spans: Iterable[Span],
    period: Period,
    *,
    additive: bool = True,
    role_since: dt.date | None = None,
) -> Decimal | None:
    """The target that applies to `period`, or None when the goals set do not say.

    `role_since` is the person's start in their role, for ramped targets.
    """
    spans = list(spans)
    for span in spans:
        if span.start == period.start and span.end == period.end:
            return _part(span, period, role_since) if additive else span.target
    if not additive:
        containing = [s for s in spans if s.start <= period.start and period.end <= s.end]
        if not containing:
            return None
        return min(containing, key=lambda s: s.days).target
    for kind in KIND_ORDER:
        of_kind = [s for s in spans if s.kind == kind and _overlap(s, period)]
        if not of_kind:
            continue
        covered = sum(_overlap(s, period) for s in of_kind)
        if covered != period.days:
            continue  # a gap (or overlapping custom ranges): this kind does not say
        return sum((_part(s, period, role_since) for s in of_kind), start=Decimal(0))
    return None
