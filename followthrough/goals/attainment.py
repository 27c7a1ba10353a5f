"""Attainment and pace: pure arithmetic on actuals and targets, no database.

Attainment is actual / target (target / actual when lower is better, such as
sales-cycle days). Pace asks where someone should be by today: for a figure
that accumulates over the period (a count or a sum) that is the target times
the share of the period elapsed; for a rate or an average it is the target
itself, since a rate does not grow with time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from followthrough.lib.periods import Period


class PaceStatus(StrEnum):
    MET = "met"
    ON_PACE = "on_pace"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


# Below this share of the expected figure someone is "far behind", not just behind.
FAR_BEHIND_SHARE = Decimal("0.5")


def _dec(value: Decimal | int | float | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def elapsed(period: Period, today: dt.date) -> Fraction:
    """The share of the period begun by today, exactly (16/31, not 0.516...)."""
    return Fraction(period.elapsed_share(today)).limit_denominator(period.days)


def attainment(
    actual: Decimal | None, target: Decimal | None, *, higher_is_better: bool = True
) -> Decimal | None:
    """Actual as a share of target (1 = 100 %); None when either is missing or it divides by 0."""
    if actual is None or target is None:
        return None
    actual, target = _dec(actual), _dec(target)
    if higher_is_better:
        return actual / target if target else None
    return target / actual if actual else None


def expected_by_now(
    target: Decimal, elapsed_share: Fraction | float, *, accumulates: bool = True
) -> Decimal:
    """Where someone on pace stands today: target × elapsed share (rates: the target itself)."""
    target = _dec(target)
    if not accumulates:
        return target
    share = Fraction(elapsed_share)
    return target * share.numerator / share.denominator


@dataclass(frozen=True)
class Pace:
    """Where someone stands against where they should be by today."""

    expected: Decimal | None
    status: PaceStatus

    @property
    def behind(self) -> bool:
        return self.status in (PaceStatus.BEHIND, PaceStatus.FAR_BEHIND)


def pace(
    actual: Decimal | None,
    target: Decimal | None,
    elapsed_share: Fraction | float,
    *,
    accumulates: bool = True,
    higher_is_better: bool = True,
) -> Pace:
    """Behind pace when actual < expected (actual > expected when lower is better)."""
    if target is None:
        return Pace(None, PaceStatus.NO_TARGET)
    expected = expected_by_now(target, elapsed_share, accumulates=accumulates)
    if actual is None:
        if not accumulates:
            # A rate with nothing to divide yet says nothing about pace.
            return Pace(expected, PaceStatus.NO_DATA)
        actual = Decimal(0)
    actual = _dec(actual)
    if higher_is_better:
        if actual >= _dec(target):
            return Pace(expected, PaceStatus.MET)
        if actual >= expected:
            return Pace(expected, PaceStatus.ON_PACE)
        far = actual < expected * FAR_BEHIND_SHARE
    else:
        if actual <= _dec(target):
            return Pace(expected, PaceStatus.MET if elapsed_share >= 1 else PaceStatus.ON_PACE)
        far = actual > expected / FAR_BEHIND_SHARE if expected else True
    return Pace(expected, PaceStatus.FAR_BEHIND if far else PaceStatus.BEHIND)
