"""Cutting periods into whole months and leftover days, the two grains rollups are kept at."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from followthrough.lib.periods import Period, PeriodKind, months_in, period_of
from followthrough.metrics.choices import Grain


def segments(period: Period) -> list[tuple[str, dt.date, dt.date]]:
    """(grain, first, last) pieces covering `period`: whole months as months, the rest as days."""
    pieces: list[tuple[str, dt.date, dt.date]] = []
    for part in months_in(period):
        whole = period_of(PeriodKind.MONTH, part.start)
        if part.start == whole.start and part.end == whole.end:
            pieces.append((Grain.MONTH, part.start, part.start))
        else:
            pieces.append((Grain.DAY, part.start, part.end))
    # Neighbouring months merge into one range, so a long period stays a short filter.
    merged: list[tuple[str, dt.date, dt.date]] = []
    for grain, first, last in pieces:
        if merged and merged[-1][0] == grain:
            prev_grain, prev_first, prev_last = merged[-1]
            follows = (
                grain == Grain.MONTH
                and period_of(PeriodKind.MONTH, prev_last).end + dt.timedelta(days=1) == first
            ) or (grain == Grain.DAY and prev_last + dt.timedelta(days=1) == first)
            if follows:
                merged[-1] = (grain, prev_first, last)
                continue
        merged.append((grain, first, last))
    return merged


def segment_q(period: Period) -> Q:
    """Rollup rows that together make up `period`."""
    query = Q(pk__in=[])
    for grain, first, last in segments(period):
        query |= Q(grain=grain, day__range=(first, last))
    return query
