"""Self-reports: each rep's own account of each reporting interval, by its deadline.

The interval comes from coaching.intervals (the ladder, the agreement, else weekly).
A report is due on its period's last working day; one not submitted by then is
missed, and stays visible to the rep and the manager. Due reports are rows created
when first needed (`ensure_due_reports`, a constant number of queries for any
number of reps), so that a missed one is simply a row never submitted.

The page shows the system's numbers beside the rep's words: the scorecard of the
interval (build_scorecard with the interval as a custom period: the same figures)
and the commitments open during it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.commitments import during, visible_commitments
from followthrough.coaching.intervals import interval_for, intervals_for, period_for
from followthrough.coaching.models import Commitment, SelfReport
from followthrough.lib.periods import Period
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person, Role

# How many unsubmitted periods a rep away for long can run up before the catch-up stops.
MAX_CATCH_UP = 26
# A report is written while the period is fresh: a year back at most.
OLDEST_DAYS = 366


class ReportState(StrEnum):
    DUE = "due"  # the deadline has not passed
    MISSED = "missed"  # the deadline passed, not submitted
    SUBMITTED = "submitted"  # by the deadline
    LATE = "late"  # submitted after the deadline
    REVIEWED = "reviewed"


def missed_filter(today: dt.date) -> Q:
    return Q(submitted_at__isnull=True, due_on__lt=today)


def state_of(report: SelfReport, today: dt.date) -> ReportState:
    if report.reviewed_at is not None:
        return ReportState.REVIEWED
    if report.submitted_at is not None:
        submitted = timezone.localtime(report.submitted_at, _zone(report)).date()
        return ReportState.LATE if submitted > report.due_on else ReportState.SUBMITTED
    return ReportState.MISSED if report.due_on < today else ReportState.DUE


def _zone(report: SelfReport):
    import zoneinfo

    return zoneinfo.ZoneInfo(report.rep.organisation.timezone)


def expected_periods(
    interval: str, today: dt.date, last_start: dt.date | None, last_end: dt.date | None
):
    """The periods after the rep's latest report up to the current one (just that if none)."""
    current = period_for(interval, today)
    if last_end is None:
        return [current]
    periods = []
    period = period_for(interval, last_end + dt.timedelta(days=1))
    while period.start <= current.start and len(periods) < MAX_CATCH_UP:
        if period.start > last_start:
            periods.append(period)
        period = period_for(interval, period.end + dt.timedelta(days=1))
    return periods


def ensure_due_reports(
    org: Organisation, rep_ids: Collection[int], today: dt.date | None = None
) -> int:
    """Create the due report rows of these reps up to the current period; returns how many.

    Four queries whatever the number of reps: their roles, their intervals (three),
    their latest reports, one bulk insert.
    """
    today = today or today_for(org)
    rep_ids = list(
        Person.objects.filter(
            organisation=org, pk__in=list(rep_ids), role=Role.REP, is_active=True
        ).values_list("pk", flat=True)
    )
    if not rep_ids:
        return 0
    intervals = intervals_for(org, rep_ids, today)
    latest = {
        rep_id: (start, end)
        for rep_id, start, end in SelfReport.objects.filter(rep_id__in=rep_ids)
        .values("rep_id")
        .annotate(start=Max("period_start"), end=Max("period_end"))
        .values_list("rep_id", "start", "end")
    }
    rows = []
    for rep_id in rep_ids:
        last_start, last_end = latest.get(rep_id, (None, None))
        for period in expected_periods(intervals[rep_id], today, last_start, last_end):
            rows.append(
                SelfReport(
                    organisation=org,
                    rep_id=rep_id,
                    period_start=period.start,
                    period_end=period.end,
                    due_on=period.due_on,
                )
            )
    SelfReport.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def visible_reports(viewer: Person) -> QuerySet[SelfReport]:
    return SelfReport.objects.filter(rights.visible_filter(viewer, "rep"))


def report_for(rep: Person, start: dt.date, today: dt.date | None = None) -> SelfReport:
    """The report of the period starting on `start`, its row created if due; else refused."""
    existing = SelfReport.objects.filter(rep=rep, period_start=start).first()
    if existing is not None:
        return existing
    today = today or today_for(rep.organisation)
    if start > today:
        raise ValidationError({"period_start": _("This period has not started yet.")})
    if start < today - dt.timedelta(days=OLDEST_DAYS):
        raise ValidationError({"period_start": _("This period is too long ago to report on.")})
    # The interval in force now, else the one in force then (the agreement may have changed).
    periods = [period_for(interval_for(rep, day), start) for day in (today, start)]
    period = next((p for p in periods if p.start == start), None)
    if period is None:
        raise ValidationError({"period_start": _("No reporting period starts on this day.")})
    if period.start > today:
        raise ValidationError({"period_start": _("This period has not started yet.")})
    report, _created = SelfReport.objects.get_or_create(
        rep=rep,
        period_start=period.start,
        defaults={
            "organisation_id": rep.organisation_id,
            "period_end": period.end,
            "due_on": period.due_on,
        },
    )
    return report


def current_report(rep: Person, today: dt.date | None = None) -> SelfReport:
    today = today or today_for(rep.organisation)
    return report_for(rep, period_for(interval_for(rep, today), today).start, today)


WRITTEN_FIELDS = ("results", "coached_on", "changed", "metric_key", "next_steps")


def write_self_report(
    report: SelfReport,
    *,
    by: Person,
    results: str = "",
    coached_on: str = "",
    changed: str = "",
    metric_key: str = "",
    next_steps: str = "",
    now: dt.datetime | None = None,
) -> SelfReport:
    """The rep submits (or corrects, until it is reviewed) their own report."""
    if not rights.can_write_self_report(by, report.rep):
        raise PermissionDenied("Only the rep writes their own self-report.")
    now = now or timezone.now()
    if report.period_start > timezone.localtime(now, _zone(report)).date():
        raise ValidationError({"period_start": _("This period has not started yet.")})
    if report.reviewed_at is not None:
        raise ValidationError(_("Your manager has reviewed this report: it is closed."))
    if not (results or "").strip():
        raise ValidationError({"results": _("Say how the period went, in your own words.")})
    if (changed or "").strip() and not (coached_on or "").strip():
        raise ValidationError({"coached_on": _("Say what you were coached on.")})
    report.results = results.strip()
    report.coached_on = (coached_on or "").strip()
    report.changed = (changed or "").strip()
    report.metric_key = metric_key or ""
    report.next_steps = (next_steps or "").strip()
    if report.submitted_at is None:
        report.submitted_at = now
    report.full_clean()
    report.save()
    return report


def review_self_report(
    report: SelfReport, *, by: Person, comment: str = "", now: dt.datetime | None = None
) -> SelfReport:
    if not rights.can_review_self_report(by, report):
        raise PermissionDenied("Only a manager of the rep reviews their self-report.")
    if report.submitted_at is None:
        raise ValidationError(_("A report is reviewed once it is submitted."))
    report.reviewed_by = by
    report.reviewed_at = now or timezone.now()
    report.manager_comment = (comment or "").strip()
    report.save()
    return report


@dataclass(frozen=True)
class ReportNumbers:
    """What the system knows of the report's interval, shown beside the rep's words."""

    scorecard: object  # followthrough.scorecards.scorecard.Scorecard
    commitments: list[Commitment]


def numbers_for(report: SelfReport, viewer: Person, today: dt.date | None = None) -> ReportNumbers:
    """The interval's scorecard (the same figures as the scorecard page) and commitments."""
    from followthrough.scorecards.scorecard import build_scorecard

    rep = report.rep
    today = today or today_for(rep.organisation)
    card = build_scorecard(rep, Period(report.period_start, report.period_end), today=today)
    commitments = list(
        during(
            visible_commitments(viewer).filter(owner=rep), report.period_start, report.period_end
        ).order_by("due_on", "pk")
    )
    return ReportNumbers(card, commitments)
