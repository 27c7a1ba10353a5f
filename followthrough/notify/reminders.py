"""Reminders by e-mail (issue 15): what is due tomorrow or overdue, found for a whole
organisation at once, planned into the ledger, then rendered per person.

Planning costs a fixed number of queries (one per kind of reminder, one for the
recipients, one for their preferences, and the ledger's insert), never one per person.
Each key names the thing and, where it can move, its due date, so a reminder goes out
once: planning every day, or twice a day, adds nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from followthrough.assessments.models import Review, ReviewStatus
from followthrough.coaching.commitments import overdue_filter
from followthrough.coaching.models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Problem,
    ProblemStatus,
    SelfReport,
)
from followthrough.notify import delivery, preferences
from followthrough.notify.models import Channel, Delivery, Kind, Preference
from followthrough.people.models import Organisation, Person
from followthrough.programs.models import (
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneCompletion,
)
from followthrough.programs.progress import due_date

# The overdue reminder of a commitment has its own prefix: the due-tomorrow one was
# another message about the same commitment and due date.
OVERDUE = "commitment_overdue"


@dataclass(frozen=True)
class Due:
    """One reminder to plan: who gets it, of which kind, under which ledger key."""

    person_id: int
    kind: str
    key: str


def _day_bounds(org: Organisation, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start of `day` and of the day after, in the organisation's time zone."""
    zone = zoneinfo.ZoneInfo(org.timezone or "UTC")
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _meetings_tomorrow(org: Organisation, tomorrow: dt.date) -> list[Due]:
    start, end = _day_bounds(org, tomorrow)
    found = []
    for pk, rep_id, manager_id in Meeting.objects.filter(
        organisation=org,
        kind=MeetingKind.ONE_ON_ONE,
        status=MeetingStatus.SCHEDULED,
        scheduled_at__gte=start,
        scheduled_at__lt=end,
    ).values_list("pk", "rep_id", "manager_id"):
        key = f"{Kind.MEETING_TOMORROW}:{pk}"
        found += [
            Due(rep_id, Kind.MEETING_TOMORROW, key),
            Due(manager_id, Kind.MEETING_TOMORROW, key),
        ]
    return found


def _self_reports_due(org: Organisation, today: dt.date, tomorrow: dt.date) -> list[Due]:
    return [
        Due(rep_id, Kind.SELF_REPORT_DUE, f"{Kind.SELF_REPORT_DUE}:{pk}:{due_on}")
        for pk, rep_id, due_on in SelfReport.objects.filter(
            organisation=org, due_on__in=(today, tomorrow), submitted_at__isnull=True
        ).values_list("pk", "rep_id", "due_on")
    ]


OVERDUE_DAYS = 7


def _commitments_due(org: Organisation, today: dt.date, tomorrow: dt.date) -> list[Due]:
    """Due tomorrow, or overdue since at most OVERDUE_DAYS: switching reminders on does not
    send one for every commitment left open for months (the 1:1 agenda lists those)."""
    found = []
    recent = Q(due_on__gte=today - dt.timedelta(days=OVERDUE_DAYS))
    for pk, owner_id, due_on in (
        Commitment.objects.filter(organisation=org)
        .filter((overdue_filter(today) & recent) | Q(status=CommitmentStatus.OPEN, due_on=tomorrow))
        .values_list("pk", "owner_id", "due_on")
    ):
        prefix = Kind.COMMITMENT_DUE if due_on == tomorrow else OVERDUE
        found.append(Due(owner_id, Kind.COMMITMENT_DUE, f"{prefix}:{pk}:{due_on}"))
    return found


def _reviews_due(org: Organisation, tomorrow: dt.date) -> list[Due]:
    return [
        Due(manager_id, Kind.REVIEW_DUE, f"{Kind.REVIEW_DUE}:{pk}:{period_end}")
        for pk, manager_id, period_end in Review.objects.filter(
            organisation=org, status=ReviewStatus.DRAFT, period_end__lte=tomorrow
        ).values_list("pk", "manager_id", "period_end")
    ]


def _milestones_due(org: Organisation, tomorrow: dt.date) -> list[Due]:
    """Active enrolments' milestones due tomorrow (start + due_day) and not done yet;
    three queries, joined here since the due date is date arithmetic per row."""
    enrolments = list(
        Enrolment.objects.filter(
            organisation=org, status=EnrolmentStatus.ACTIVE, start__lte=tomorrow
        )
    )
    if not enrolments:
        return []
    by_program: dict[int, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(
        organisation=org, program_id__in={e.program_id for e in enrolments}
    ):
        by_program.setdefault(milestone.program_id, []).append(milestone)
    done = set(
        MilestoneCompletion.objects.filter(
            organisation=org, enrolment_id__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "milestone_id")
    )
    return [
        Due(e.person_id, Kind.MILESTONE_DUE, f"{Kind.MILESTONE_DUE}:{e.pk}:{m.pk}")
        for e in enrolments
        for m in by_program.get(e.program_id, [])
        if due_date(e.start, m) == tomorrow and (e.pk, m.pk) not in done
    ]


def _stuck(org: Organisation, today: dt.date) -> list[Due]:
    # Since the start of yesterday: a daily run never misses one raised late in the day.
    since, _end = _day_bounds(org, today - dt.timedelta(days=1))
    return [
        Due(manager_id, Kind.STUCK, f"{Kind.STUCK}:{pk}")
        for pk, manager_id in Problem.objects.filter(
            organisation=org,
            status=ProblemStatus.OPEN,
            raised_at__gte=since,
            manager_id__isnull=False,
        ).values_list("pk", "manager_id")
    ]


def due_reminders(org: Organisation, today: dt.date) -> list[Due]:
    """Every reminder due on `today`, before anyone's preferences are applied."""
    tomorrow = today + dt.timedelta(days=1)
    return [
        *_meetings_tomorrow(org, tomorrow),
        *_self_reports_due(org, today, tomorrow),
        *_commitments_due(org, today, tomorrow),
        *_reviews_due(org, tomorrow),
        *_milestones_due(org, tomorrow),
        *_stuck(org, today),
    ]


def _reachable():
    """Who can get a reminder: active, with an address and a login to follow its link
    (as for the digest)."""
    return Person.objects.filter(is_active=True, user__isnull=False, user__is_active=True).exclude(
        email=""
    )


def plan_reminders(org: Organisation, today: dt.date) -> int:
    """Adds to the ledger the reminders due on `today` for active people who want them;
    returns how many were new."""
    found = due_reminders(org, today)
    reachable = set(
        _reachable()
        .filter(organisation=org, pk__in={d.person_id for d in found})
        .values_list("pk", flat=True)
    )
    chosen = preferences.preferences_for(org, reachable)
    rows = [
        Delivery(
            organisation=org, person_id=d.person_id, channel=Channel.EMAIL, kind=d.kind, key=d.key
        )
        for d in found
        if d.person_id in reachable and preferences.wants(chosen[d.person_id], d.kind)
    ]
    return delivery.plan(rows)


@dataclass
class Reminder:
    """What one reminder says, already in the recipient's language and time zone."""

    subject: str
    intro: str
    url: str
    details: list[str] = field(default_factory=list)  # the commitment, the problem...
    agenda: list[str] = field(default_factory=list)  # a 1:1's open agenda items
    commitments: list[str] = field(default_factory=list)  # a 1:1's open commitments


def _link(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _when(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return formats.date_format(timezone.localtime(moment, zone), "DATETIME_FORMAT")


def _day(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _meeting(pk: int, person: Person, zone) -> Reminder | None:
    meeting = (
        Meeting.objects.filter(pk=pk, status=MeetingStatus.SCHEDULED)
        .select_related("rep", "manager")
        .first()
    )
    if meeting is None or person.pk not in (meeting.rep_id, meeting.manager_id):
        return None
    other = meeting.manager if person.pk == meeting.rep_id else meeting.rep
    when = _when(meeting.scheduled_at, zone)
    # The open items and commitments, not the whole agenda: build_agenda reads the
    # CRM and the metrics, too much for one e-mail among many.
    items = AgendaItem.objects.filter(meeting=meeting, done=False).order_by("created_at", "pk")
    commitments = Commitment.objects.filter(
        owner_id=meeting.rep_id, status=CommitmentStatus.OPEN
    ).order_by("due_on", "pk")
    return Reminder(
        subject=_("Your 1:1 with %(name)s tomorrow") % {"name": other.name},
        intro=_("Your 1:1 with %(name)s is on %(when)s.") % {"name": other.name, "when": when},
        url=_link("meeting", meeting.pk),
        agenda=[i.text for i in items],
        commitments=[f"{c.text} ({_day(c.due_on)})" for c in commitments],
    )


def _self_report(pk: int, person: Person, zone) -> Reminder | None:
    report = SelfReport.objects.filter(pk=pk, rep=person, submitted_at__isnull=True).first()
    if report is None:
        return None
    return Reminder(
        subject=_("Your self-report is due on %(day)s") % {"day": _day(report.due_on)},
        intro=_("Your self-report for %(start)s to %(end)s is due on %(day)s.")
        % {
            "start": _day(report.period_start),
            "end": _day(report.period_end),
            "day": _day(report.due_on),
        },
        url=_link("self_report", report.rep_id, report.period_start.isoformat()),
    )


def _commitment(pk: int, person: Person, zone, *, overdue: bool) -> Reminder | None:
    commitment = Commitment.objects.filter(
        pk=pk, owner=person, status=CommitmentStatus.OPEN
    ).first()
    if commitment is None:
        return None
    day = _day(commitment.due_on)
    if overdue:
        subject = _("A commitment is overdue")
        intro = _("This commitment was due on %(day)s and is still open:") % {"day": day}
    else:
        subject = _("A commitment is due tomorrow")
        intro = _("This commitment is due on %(day)s:") % {"day": day}
    return Reminder(subject, intro, _link("commitments"), details=[commitment.text])


def _review(pk: int, person: Person, zone) -> Reminder | None:
    review = (
        Review.objects.filter(pk=pk, manager=person, status=ReviewStatus.DRAFT)
        .select_related("rep")
        .first()
    )
    if review is None:
        return None
    return Reminder(
        subject=_("The review of %(name)s is due") % {"name": review.rep.name},
        intro=_("The review of %(name)s for the period until %(day)s is still a draft.")
        % {"name": review.rep.name, "day": _day(review.period_end)},
        url=_link("review", review.pk),
    )


def _milestone(enrolment_id: int, milestone_id: int, person: Person, zone) -> Reminder | None:
    enrolment = Enrolment.objects.filter(
        pk=enrolment_id, person=person, status=EnrolmentStatus.ACTIVE
    ).first()
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if enrolment is None or milestone is None or milestone.program_id != enrolment.program_id:
        return None
    if MilestoneCompletion.objects.filter(enrolment=enrolment, milestone=milestone).exists():
        return None
    day = _day(due_date(enrolment.start, milestone))
    return Reminder(
        subject=_("Milestone due tomorrow: %(name)s") % {"name": milestone.name},
        intro=_("Your milestone %(name)s is due on %(day)s.")
        % {"name": milestone.name, "day": day},
        url=_link("enrolment_detail", enrolment.pk),
        details=[milestone.definition_of_done] if milestone.definition_of_done else [],
    )


def _problem(pk: int, person: Person, zone) -> Reminder | None:
    problem = (
        Problem.objects.filter(pk=pk, manager=person, status=ProblemStatus.OPEN)
        .select_related("rep")
        .first()
    )
    if problem is None:
        return None
    return Reminder(
        subject=_("%(name)s is stuck") % {"name": problem.rep.name},
        intro=_("%(name)s is stuck and asks for your help (%(when)s):")
        % {"name": problem.rep.name, "when": _when(problem.raised_at, zone)},
        url=_link("problems"),
        details=[problem.text],
    )


def _reminder(key: str, person: Person, zone) -> Reminder | None:
    prefix, *ids = key.split(":")
    pk = int(ids[0])
    if prefix == Kind.MEETING_TOMORROW:
        return _meeting(pk, person, zone)
    if prefix == Kind.SELF_REPORT_DUE:
        return _self_report(pk, person, zone)
    if prefix in (Kind.COMMITMENT_DUE, OVERDUE):
        return _commitment(pk, person, zone, overdue=prefix == OVERDUE)
    if prefix == Kind.REVIEW_DUE:
        return _review(pk, person, zone)
    if prefix == Kind.MILESTONE_DUE:
        return _milestone(pk, int(ids[1]), person, zone)
    if prefix == Kind.STUCK:
        return _problem(pk, person, zone)
    return None


def _zone(org: Organisation, preference: Preference) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(preference.timezone or org.timezone or "UTC")


def render_reminder(row: Delivery) -> delivery.Message | None:
    """The reminder's e-mail in the recipient's language and time zone; None (skipped)
    when the recipient left or unsubscribed, or the thing is no longer due."""
    person = _reachable().select_related("organisation").filter(pk=row.person_id).first()
    if person is None:
        return None
    preference = preferences.preference_of(person)
    if not preferences.wants(preference, row.kind):
        return None
    zone = _zone(person.organisation, preference)
    with translation.override(preference.language), timezone.override(zone):
        reminder = _reminder(row.key, person, zone)
        if reminder is None:
            return None
        context = {
            "person": person,
            "reminder": reminder,
            "settings_url": _link("notify_settings"),
            "unsubscribe": preferences.unsubscribe_url(person.pk, row.kind),
        }
        text = render_to_string("notify/reminder.txt", context)
        html = render_to_string("notify/reminder.html", context)
    return delivery.Message(
        subject=reminder.subject,
        text=text,
        html=html,
        to=person.email,
        headers=preferences.list_headers(person.pk, row.kind),
    )


def send_reminders(org: Organisation) -> dict[str, int]:
    """Sends the organisation's pending reminders (planned by plan_reminders)."""
    delivery.give_up_stale(org)
    pending = list(delivery.due(org).filter(channel=Channel.EMAIL).exclude(kind=Kind.DIGEST))
    return delivery.send(pending, render_reminder)
