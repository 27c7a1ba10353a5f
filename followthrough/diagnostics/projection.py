"""Right time: the pipeline and wins the team's own lags and conversion rates project, the
gap a month's prospecting shortfall will cause, and the method's backtest.

(Skeleton: the projection part replaces `right_time` with the real rule; the three
rights call it with this signature.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from followthrough.diagnostics.findings import Finding, Status
from followthrough.lib.periods import Period
from followthrough.people.models import Organisation, Person


def right_time(
    org: Organisation, people: Sequence[Person], month: Period, today: dt.date
) -> dict[int, Finding]:
    """Person id -> the right-time finding for `month` (key "time"; `gap`: the projected
    shortfall in won deals over the coming months, for sorting the team view)."""
    return {person.pk: Finding("time", Status.UNKNOWN) for person in people}
