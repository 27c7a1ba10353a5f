"""Cutting periods into whole months, read from the rollups, and leftover days, read from the facts."""

from __future__ import annotations

import datetime as dt

from followthrough.lib.periods import Period, PeriodKind, months_in, period_of


def segments(period: Period) -> tuple[list[tuple[dt.date, dt.date]], list[Period]]:
    """(whole months as (first month's first day, last month's first day), leftover day ranges).

    Neighbouring months merge into one range, so a long period stays a short filter;
    a period has at most two leftover ranges, its first and its last partial month.
    """
    months: list[tuple[dt.date, dt.date]] = []
    days: list[Period] = []
    for part in months_in(period):
        whole = period_of(PeriodKind.MONTH, part.start)
        if part.start != whole.start or part.end != whole.end:
            days.append(Period(part.start, part.end))
        elif months and period_of(PeriodKind.MONTH, months[-1][1]).end + dt.timedelta(days=1) == (
            part.start
        ):
            months[-1] = (months[-1][0], part.start)
        else:
            months.append((part.start, part.start))
    return months, days
