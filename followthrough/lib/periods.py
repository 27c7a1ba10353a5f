"""Reporting periods: ISO weeks, months, quarters, years, fiscal years and custom ranges.

Pure date arithmetic, no database. A period's `end` is inclusive, like the dates a
sales manager writes ("Q1 is 1 January to 31 March").

Days are supported from FIRST_DAY to LAST_DAY. The bounds are far wider than any
sales history or plan, and far enough inside Python's own (years 1 to 9999) that a
page can step a dozen periods either way, for trends and its previous/next links,
without leaving the calendar: what people type is checked against them
(`check_supported`). Arithmetic that would leave the calendar itself raises
OutOfRange, a ValueError, never a bare OverflowError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)


class OutOfRange(ValueError):
    """A day or period outside FIRST_DAY..LAST_DAY."""


def supported(day: dt.date) -> bool:
    """Whether `day` lies in the range periods are computed for."""
    return FIRST_DAY <= day <= LAST_DAY


def check_supported(day: dt.date) -> dt.date:
    """`day` itself, or OutOfRange when it lies outside the supported range."""
    if not supported(day):
        raise OutOfRange(
            f"{day.isoformat()} is outside the supported dates "
            f"({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
        )
    return day


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FISCAL_YEAR = "fiscal_year"
    CUSTOM = "custom"


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of days [start, end]."""

    start: dt.date
    end: dt.date
    kind: str = PeriodKind.CUSTOM
    # The first month of the fiscal year the period was cut from (fiscal years only).
    fiscal_start_month: int = 1

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def key(self) -> str:
        """A short, stable, sortable name: 2026-W03, 2026-01, 2026-Q1, 2026, FY2026, or a range."""
        kind = PeriodKind(self.kind)
        if kind is PeriodKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if kind is PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if kind is PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if kind is PeriodKind.YEAR:
            return str(self.start.year)
        if kind is PeriodKind.FISCAL_YEAR:
            # Named after the calendar year it ends in, the common convention.
            return f"FY{self.end.year}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def elapsed_share(self, today: dt.date) -> float:
        """The share of the period's days that have begun by `today` (today counts)."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_after(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day when it is shorter (31 Jan + 1: 28 Feb)."""
    first = add_months(day, months)
    last = add_months(day, months + 1) - dt.timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def _month_span(first: dt.date, months: int, kind: str, fiscal_start_month: int = 1) -> Period:
    return Period(
        first,
        add_months(first, months) - dt.timedelta(days=1),
        kind,
        fiscal_start_month,
    )


def period_of(kind: str, day: dt.date, fiscal_start_month: int = 1) -> Period:
    """The period of this kind that contains `day`."""
    kind = PeriodKind(kind)
    if not 1 <= fiscal_start_month <= 12:
        raise ValueError(f"the fiscal year must start in month 1-12, not {fiscal_start_month}")
    try:
        return _natural_period(kind, day, fiscal_start_month)
    except (OverflowError, ValueError) as error:
        if kind is PeriodKind.CUSTOM:
            raise
        raise OutOfRange(f"the {kind} containing {day.isoformat()} leaves the calendar") from error


def _natural_period(kind: PeriodKind, day: dt.date, fiscal_start_month: int) -> Period:
    if kind is PeriodKind.WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(monday, monday + dt.timedelta(days=6), kind)
    if kind is PeriodKind.MONTH:
        return _month_span(day.replace(day=1), 1, kind)
    if kind is PeriodKind.QUARTER:
        return _month_span(dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3, kind)
    if kind is PeriodKind.YEAR:
        return _month_span(dt.date(day.year, 1, 1), 12, kind)
    if kind is PeriodKind.FISCAL_YEAR:
        year = day.year if day.month >= fiscal_start_month else day.year - 1
        return _month_span(dt.date(year, fiscal_start_month, 1), 12, kind, fiscal_start_month)
    raise ValueError("a custom period has no natural boundaries: build Period(start, end)")


def shift(period: Period, steps: int) -> Period:
    """The period `steps` periods later (earlier when negative) of the same kind."""
    kind = PeriodKind(period.kind)
    try:
        if kind is PeriodKind.CUSTOM:
            delta = dt.timedelta(days=period.days * steps)
            return Period(period.start + delta, period.end + delta, kind)
        if kind is PeriodKind.WEEK:
            return period_of(kind, period.start + dt.timedelta(weeks=steps))
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}.get(kind, 12)
        day = add_months(period.start, months * steps)
    except (OverflowError, ValueError) as error:
        if isinstance(error, OutOfRange):
            raise
        raise OutOfRange(f"{steps} periods from {period.key} leave the calendar") from error
    return period_of(kind, day, period.fiscal_start_month)


def last_periods(period: Period, count: int) -> list[Period]:
    """`count` periods ending with `period`, oldest first (for trends)."""
    return [shift(period, step) for step in range(1 - count, 1)]


def months_in(period: Period) -> list[Period]:
    """The calendar months a period covers, clipped to it."""
    months = []
    first = period.start.replace(day=1)
    while first <= period.end:
        month = period_of(PeriodKind.MONTH, first)
        months.append(
            Period(max(month.start, period.start), min(month.end, period.end), PeriodKind.MONTH)
        )
        first = add_months(first, 1)
    return months
