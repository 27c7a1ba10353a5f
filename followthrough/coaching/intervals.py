"""Self-report intervals: which interval applies to a rep, and its dates.

The interval comes, most specific first, from an open ladder step that shortened it
(step 2), the rep's own agreement, their team's agreement, else weekly. Nothing is
copied: leaving the ladder restores the agreement's interval by itself.

An interval's report covers its days and is due on its last working day (a week's
on Friday), so a rep writes it while the week is fresh.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from followthrough.coaching.models import Agreement, Interval, LadderOutcome, LadderStep
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation

DEFAULT_INTERVAL = Interval.WEEKLY
FRIDAY = 4


@dataclass(frozen=True)
class ReportPeriod:
    """The days one self-report covers, and when it is due."""

    start: dt.date
    end: dt.date
    due_on: dt.date


def _last_working_day(start: dt.date, end: dt.date) -> dt.date:
    day = end
    while day.weekday() > FRIDAY and day > start:
        day -= dt.timedelta(days=1)
    return day


def period_for(interval: str, day: dt.date) -> ReportPeriod:
    """The reporting period of `interval` that holds `day`."""
    if interval == Interval.DAILY:
        if day.weekday() < FRIDAY:
            return ReportPeriod(day, day, day)
        # Friday's report covers the weekend too: nobody reports on a Sunday.
        friday = day - dt.timedelta(days=day.weekday() - FRIDAY)
        return ReportPeriod(friday, friday + dt.timedelta(days=2), friday)
    if interval == Interval.MONTHLY:
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return ReportPeriod(start, end, _last_working_day(start, end))
    start = day - dt.timedelta(days=day.weekday())
    if interval == Interval.FORTNIGHTLY and start.isocalendar().week % 2 == 0:
        start -= dt.timedelta(days=7)  # fortnights start on odd ISO weeks
    length = 14 if interval == Interval.FORTNIGHTLY else 7
    end = start + dt.timedelta(days=length - 1)
    return ReportPeriod(start, end, _last_working_day(start, end))


def next_period(interval: str, period: ReportPeriod) -> ReportPeriod:
    return period_for(interval, period.end + dt.timedelta(days=1))


def intervals_for(org: Organisation, rep_ids: list[int], day: dt.date) -> dict[int, str]:
    """The self-report interval of each rep on `day`, from three queries whatever their number."""
    result = {rep_id: DEFAULT_INTERVAL for rep_id in rep_ids}
    team_of = dict(
        lines_on(org, day).filter(person_id__in=rep_ids).values_list("person_id", "team_id")
    )
    agreements = Agreement.objects.filter(organisation=org, created_at__date__lte=day).filter(
        Q(rep_id__in=rep_ids) | Q(rep__isnull=True, team_id__in=set(team_of.values()))
    )
    by_team: dict[int, tuple[int, str]] = {}
    by_rep: dict[int, tuple[int, str]] = {}
    for rep_id, team_id, version, interval in agreements.values_list(
        "rep_id", "team_id", "version", "self_report_interval"
    ):
        into, key = (by_rep, rep_id) if rep_id else (by_team, team_id)
        if key not in into or into[key][0] < version:
            into[key] = (version, interval)
    for rep_id in rep_ids:
        if rep_id in by_rep:
            result[rep_id] = by_rep[rep_id][1]
        elif team_of.get(rep_id) in by_team:
            result[rep_id] = by_team[team_of[rep_id]][1]
    shortened = (
        LadderStep.objects.filter(
            organisation=org, rep_id__in=rep_ids, outcome=LadderOutcome.OPEN, started_on__lte=day
        )
        .exclude(report_interval="")
        .values_list("rep_id", "report_interval")
    )
    result.update(dict(shortened))
    return result


def interval_for(rep, day: dt.date) -> str:
    return intervals_for(rep.organisation, [rep.pk], day)[rep.pk]
