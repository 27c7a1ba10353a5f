"""Periods as people type them: a key such as 2026-Q1, or a kind and a day. Pure.

The keys are the ones lib.periods.Period.key writes, read back: 2026-W03,
2026-01, 2026-Q1, 2026, FY2026 (the fiscal year that ends in 2026) and
2026-01-01..2026-03-31 for a custom range.
"""

from __future__ import annotations

import datetime as dt
import re

from followthrough.lib.periods import Period, PeriodKind, period_of

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_FISCAL = re.compile(r"^FY(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def parse_period_key(text: str, fiscal_start_month: int = 1) -> Period:
    """The period a key names; ValueError when it names none."""
    key = text.strip().upper()
    if match := _WEEK.match(key):
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return period_of(PeriodKind.WEEK, monday)
    if match := _MONTH.match(key):
        return period_of(PeriodKind.MONTH, dt.date(int(match[1]), int(match[2]), 1))
    if match := _QUARTER.match(key):
        return period_of(PeriodKind.QUARTER, dt.date(int(match[1]), int(match[2]) * 3, 1))
    if match := _YEAR.match(key):
        return period_of(PeriodKind.YEAR, dt.date(int(match[1]), 1, 1))
    if match := _FISCAL.match(key):
        # FY2026 ends in 2026: with a fiscal year from April it runs April 2025 - March 2026.
        last_day = dt.date(int(match[1]), fiscal_start_month, 1) - dt.timedelta(days=1)
        if fiscal_start_month == 1:
            last_day = dt.date(int(match[1]), 12, 31)
        return period_of(PeriodKind.FISCAL_YEAR, last_day, fiscal_start_month)
    if match := _RANGE.match(key):
        return Period(dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]))
    raise ValueError(text)


def period_from(
    kind: str, day: dt.date, end: dt.date | None = None, fiscal_start_month: int = 1
) -> Period:
    """The period of `kind` containing `day`; a custom range runs from `day` to `end`."""
    if kind == PeriodKind.CUSTOM:
        if end is None:
            raise ValueError("a custom range needs an end date")
        return Period(day, end, PeriodKind.CUSTOM)
    return period_of(kind, day, fiscal_start_month)
