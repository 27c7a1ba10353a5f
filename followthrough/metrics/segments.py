"""Cutting periods into whole quarters and months, read from the rollups, and leftover days.

Rollups are kept for calendar months and calendar quarters; the days of a partial
month are read from the facts.
"""

from __future__ import annotations

import datetime as dt

from followthrough.lib.periods import Period, PeriodKind, months_in, period_of
from followthrough.metrics.choices import Grain

Piece = tuple[str, dt.date, dt.date]  # (grain, first unit's first day, last unit's first day)
UNIT = {Grain.MONTH: PeriodKind.MONTH, Grain.QUARTER: PeriodKind.QUARTER}


def segments(period: Period) -> tuple[list[Piece], list[Period]]:
    """(runs of whole quarters or months, leftover day ranges) that together make `period`.

    A calendar quarter inside the period is one quarter row; its other months are not
    read again. Neighbouring units of one grain merge into one range, so a long period
    stays a short filter. A period has at most two leftover ranges: its first and its
    last partial month.
    """
    pieces: list[Piece] = []
    days: list[Period] = []
    for part in months_in(period):
        month = period_of(PeriodKind.MONTH, part.start)
        if (part.start, part.end) != (month.start, month.end):
            days.append(Period(part.start, part.end))
            continue
        quarter = period_of(PeriodKind.QUARTER, part.start)
        if period.start <= quarter.start and quarter.end <= period.end:
            if part.start == quarter.start:
                _extend(pieces, Grain.QUARTER, quarter.start)
        else:
            _extend(pieces, Grain.MONTH, part.start)
    return pieces, days


def _extend(pieces: list[Piece], grain: str, first: dt.date) -> None:
    if pieces:
        last_grain, start, last = pieces[-1]
        follows = period_of(UNIT[grain], last).end + dt.timedelta(days=1) == first
        if last_grain == grain and follows:
            pieces[-1] = (grain, start, first)
            return
    pieces.append((grain, first, first))
