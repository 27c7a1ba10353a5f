"""Measured lags: month-lag kernels fitted from cohorts, and the convolution that uses them.

A kernel answers "of what started in month m, how much happened k months later", for
k = 0..len-1. It is fitted from the data as a ratio of sums over the cohorts fully
observed at that lag (a cohort of month m counts for lag k only when month m + k is
complete as of the fit), so no outcome known later leaks into it. Its sum is the
conversion rate; divided by its sum, it is the lag distribution.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Kernel:
    weights: tuple[float, ...]  # per month lag: events per unit of the cohort

    @property
    def rate(self) -> float:
        return sum(self.weights)

    @property
    def distribution(self) -> tuple[float, ...]:
        total = self.rate
        return tuple(w / total for w in self.weights) if total else self.weights

    @property
    def peak(self) -> int:
        """The lag (in months) where most of it lands."""
        return max(range(len(self.weights)), key=lambda k: self.weights[k]) if self.weights else 0


def fit_kernel(
    sizes: Mapping[int, float],
    events: Iterable[tuple[int, int]] | Mapping[tuple[int, int], int],
    *,
    last: int,
    lags: int,
    cohorts: int,
) -> Kernel:
    """Fit a kernel from cohort sizes (month index -> size) and events (cohort month, event
    month), listed or counted.

    For lag k: events at lag k of the `cohorts` latest cohorts m with m + k <= `last`
    (and m with a known size), divided by those cohorts' summed size.
    """
    if not isinstance(events, Mapping):
        pairs: dict[tuple[int, int], int] = {}
        for pair in events:
            pairs[pair] = pairs.get(pair, 0) + 1
        events = pairs
    counts: dict[tuple[int, int], int] = {}
    for (start, at), n in events.items():
        if at <= last and 0 <= at - start < lags:
            counts[(start, at - start)] = counts.get((start, at - start), 0) + n
    weights = []
    for k in range(lags):
        months = [m for m in sorted(sizes) if m + k <= last][-cohorts:]
        size = sum(sizes[m] for m in months)
        hits = sum(counts.get((m, k), 0) for m in months)
        weights.append(hits / size if size else 0.0)
    return Kernel(tuple(weights))


def convolve(series: Mapping[int, float], kernel: Kernel, month: int) -> float:
    """What the kernel makes in `month` from a series of inputs by month index."""
    total = 0.0
    for k, w in enumerate(kernel.weights):
        if w:
            total += w * series.get(month - k, 0.0)
    return total


def combine(first: Kernel, second: Kernel) -> Kernel:
    """The kernel of two steps one after the other (e.g. prospecting -> deal -> win)."""
    out = [0.0] * (len(first.weights) + len(second.weights) - 1)
    for i, a in enumerate(first.weights):
        for j, b in enumerate(second.weights):
            out[i + j] += a * b
    return Kernel(tuple(out))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
