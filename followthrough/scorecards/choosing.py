"""The period a page shows, from its query string: a kind and a day, or a custom range.

Bad or missing values fall back to the current period of the default kind, so
a hand-edited address never breaks the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from urllib.parse import urlencode

from followthrough.lib.periods import Period, PeriodKind, period_of

DEFAULT_KIND = PeriodKind.MONTH
# A custom range longer than this is cut: the pages read days, and so does the engine.
MAX_CUSTOM_DAYS = 3 * 366


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def chosen_period(params: Mapping[str, str], today: dt.date, fiscal_start_month: int) -> Period:
    """The period asked for by ?kind=&date= (or ?kind=custom&start=&end=)."""
    kind = params.get("kind") or DEFAULT_KIND
    if kind not in PeriodKind.__members__.values():
        kind = DEFAULT_KIND
    if kind == PeriodKind.CUSTOM:
        start, end = _date(params.get("start")), _date(params.get("end"))
        if start is None or end is None or end < start:
            return period_of(DEFAULT_KIND, today)
        end = min(end, start + dt.timedelta(days=MAX_CUSTOM_DAYS - 1))
        return Period(start, end, PeriodKind.CUSTOM)
    day = _date(params.get("date")) or today
    return period_of(kind, day, fiscal_start_month)


def period_query(period: Period, **extra: str) -> str:
    """The query string that chooses `period` again (for links and forms)."""
    if period.kind == PeriodKind.CUSTOM:
        params = {"kind": period.kind, "start": period.start, "end": period.end}
    else:
        params = {"kind": str(period.kind), "date": period.start.isoformat()}
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params, doseq=True)
