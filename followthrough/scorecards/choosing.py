"""The period a page shows, from its query string: a kind and a day, or a custom range.

A hand-edited address never breaks the page, and never changes what it shows
without saying so: a value that is not a date, or lies outside the supported
dates, falls back to the current period of the kind asked for; a custom range
that ends before it starts is turned round, and one longer than MAX_CUSTOM_DAYS
is cut. Each of these comes with a notice the page shows above the figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followthrough.lib.periods import (
    FIRST_DAY,
    LAST_DAY,
    Period,
    PeriodKind,
    period_of,
    supported,
)

DEFAULT_KIND = PeriodKind.MONTH
# A custom range longer than this is cut: the pages read days, and so does the engine.
MAX_CUSTOM_DAYS = 3 * 366


@dataclass(frozen=True)
class Choice:
    """The period to show, the day the picker keeps, and what was changed on the way."""

    period: Period
    # The "Containing" day: kept when the visitor switches kind (week of today, not of 1 January).
    day: dt.date
    notices: tuple[str, ...] = ()


class _Unusable(Exception):
    def __init__(self, notice: str) -> None:
        self.notice = notice


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    """The date in `name`, None when absent; _Unusable when it is not one we can show."""
    text = params.get(name)
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise _Unusable(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}) from None
    if not supported(day):
        raise _Unusable(
            _("Dates from %(first)s to %(last)s can be shown; %(value)s cannot.")
            % {
                "first": date_format(FIRST_DAY),
                "last": date_format(LAST_DAY),
                "value": text,
            }
        )
    return day


def _keep(day: dt.date | None, today: dt.date, period: Period) -> dt.date:
    """The day the picker keeps: the one asked for, else today, when in the period."""
    for candidate in (day, today):
        if candidate is not None and candidate in period:
            return candidate
    return period.start


def choose(params: Mapping[str, str], today: dt.date, fiscal_start_month: int) -> Choice:
    """The period asked for by ?kind=&date= (or ?kind=custom&start=&end=), with notices."""
    kind = params.get("kind") or DEFAULT_KIND
    if kind not in PeriodKind.__members__.values():
        kind = DEFAULT_KIND
    if kind == PeriodKind.CUSTOM:
        return _custom(params, today)
    try:
        day = _date(params, "date")
    except _Unusable as unusable:
        period = period_of(kind, today, fiscal_start_month)
        shown = _("Showing the current period instead.")
        return Choice(period, today, (unusable.notice, shown))
    period = period_of(kind, day or today, fiscal_start_month)
    return Choice(period, _keep(day, today, period))


def _custom(params: Mapping[str, str], today: dt.date) -> Choice:
    try:
        start, end = _date(params, "start"), _date(params, "end")
        if start is None or end is None:
            raise _Unusable(_("A custom range needs a start and an end date."))
    except _Unusable as unusable:
        shown = _("Showing the current month instead.")
        return Choice(period_of(DEFAULT_KIND, today), today, (unusable.notice, shown))
    notices = []
    if end < start:
        # The visitor most likely typed the dates the wrong way round: keep both.
        start, end = end, start
        notices.append(_("The end date was before the start date: the two were swapped."))
    last = start + dt.timedelta(days=MAX_CUSTOM_DAYS - 1)
    if end > last:
        end = last
        notices.append(
            _("A custom range is at most %(days)s days long: it was cut to end on %(end)s.")
            % {"days": MAX_CUSTOM_DAYS, "end": date_format(end)}
        )
    period = Period(start, end, PeriodKind.CUSTOM)
    return Choice(period, _keep(None, today, period), tuple(notices))


def chosen_period(params: Mapping[str, str], today: dt.date, fiscal_start_month: int) -> Period:
    """The period asked for, without the notices (see `choose`)."""
    return choose(params, today, fiscal_start_month).period


def period_query(period: Period, **extra: str) -> str:
    """The query string that chooses `period` again (for links and forms)."""
    if period.kind == PeriodKind.CUSTOM:
        params = {"kind": period.kind, "start": period.start, "end": period.end}
    else:
        params = {"kind": str(period.kind), "date": period.start.isoformat()}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params, doseq=True)
