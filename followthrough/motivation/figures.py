"""Pure arithmetic for standings: adding figures up, ranking with ties. No database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TypeVar

from followthrough.metrics.engine import Value

T = TypeVar("T")
ADDITIVE_KINDS = frozenset({"count", "sum"})


def is_additive(metric) -> bool:
    return str(metric.kind) in ADDITIVE_KINDS


def combine(metric, values: Iterable[Value]) -> Value:
    """Several figures of one metric as one (people into a team, days into a run).

    Counts and sums add; ratios and averages divide the summed parts, as the
    engine does for a longer period (never an average of averages).
    """
    values = list(values)
    if metric.is_divided or str(metric.kind) == "duration":
        top = sum((v.numerator or 0 for v in values), start=Decimal(0))
        bottom = sum((v.denominator or 0 for v in values), start=Decimal(0))
        if not bottom:
            return Value(None, top, bottom)
        scale = metric.scale if metric.is_divided else 1
        return Value(top * scale / bottom, top, bottom)
    total = sum((v.value or 0 for v in values), start=Decimal(0))
    return Value(total, total, None)


def competition_ranks(items: Sequence[T], measure: Callable[[T], object]) -> list[int | None]:
    """Standard competition ranks (1, 2, 2, 4) for items already sorted best first.

    Equal measures share a rank and the next rank skips as many places as shared
    it, so nobody's rank depends on the order of names. Items whose measure is
    None (no figure yet) get no rank.
    """
    ranks: list[int | None] = []
    previous, rank = object(), 0
    for place, item in enumerate(items, start=1):
        current = measure(item)
        if current is None:
            ranks.append(None)
            continue
        if current != previous:
            rank, previous = place, current
        ranks.append(rank)
    return ranks


def reached(value: Decimal | None, target: Decimal | None, higher_is_better: bool = True) -> bool:
    if value is None or target is None:
        return False
    return value >= target if higher_is_better else value <= target
