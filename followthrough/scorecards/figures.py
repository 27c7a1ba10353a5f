"""Small pure helpers shared by the scorecard and the dashboard: medians, baselines, totals."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal

# Metric kinds, as in followthrough.metrics.choices.Kind.
COUNT, SUM, RATIO, AVERAGE, DURATION = "count", "sum", "ratio", "average", "duration"
ADDITIVE = frozenset({COUNT, SUM})


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The median of the values that are present; None when none are."""
    present = sorted(v for v in values if v is not None)
    if not present:
        return None
    return Decimal(statistics.median(present))


def baseline(values: Sequence[Decimal | None]) -> Decimal | None:
    """The mean of the values present (the trailing periods before the current one)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return sum(present, start=Decimal(0)) / len(present)


def total(kind: str, scale: Decimal, values: Iterable) -> Decimal | None:
    """A team's figure from its members' Values: sums add up; ratios divide summed parts."""
    values = list(values)
    if kind in ADDITIVE:
        present = [v.value for v in values if v.value is not None]
        return sum(present, start=Decimal(0)) if present else None
    numerator = sum((v.numerator for v in values if v.numerator is not None), start=Decimal(0))
    denominator = sum(
        (v.denominator for v in values if v.denominator is not None), start=Decimal(0)
    )
    if not denominator:
        return None
    if kind == DURATION:
        return numerator / denominator
    return numerator * scale / denominator
