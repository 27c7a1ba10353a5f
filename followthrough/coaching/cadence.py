"""1:1 cadences and the meetings scheduled from them; moving and ending a meeting.

The rules, in plain words:
- A pair is a rep and their direct manager. Only someone who coaches the rep
  (rights.can_coach) sets the pair's cadence.
- Weekly and fortnightly 1:1s fall on the cadence's weekday; a monthly 1:1 on the
  first such weekday of each month. Times are in the organisation's time zone.
- Changing a cadence starts a new one from today (the old one keeps its history) and
  moves the pair's future meetings that were not held to the new rhythm; what was
  added to them (agenda items, notes) moves with them.
- A meeting ends once: held (its agenda frozen as it stood), missed (by the rep, the
  manager or both) or moved (a new meeting points back to it). An ended meeting is
  not moved or ended again.

The schedule itself is generated (schedule_meetings): its rows are made in bulk, one
query per organisation whatever the number of pairs, and are not audited; every
change a person makes afterwards goes through save() and is.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import (
    Cadence,
    Frequency,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MissedBy,
)
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Organisation, Person

# How far ahead the schedule is kept when a cadence is set or changed: eight weeks.
SCHEDULE_AHEAD_DAYS = 8 * 7
STEP_DAYS = {Frequency.WEEKLY: 7, Frequency.FORTNIGHTLY: 14}


def zone_of(org: Organisation) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(org.timezone)


def at(org: Organisation, day: dt.date, time: dt.time) -> dt.datetime:
    """A wall-clock time on `day` in the organisation's time zone, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=zone_of(org))


def local_day(org: Organisation, moment: dt.datetime) -> dt.date:
    return moment.astimezone(zone_of(org)).date()


def slot_days(frequency: str, weekday: int, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """The days a cadence meets between `first` and `last` (both included)."""
    if last < first:
        return
    if frequency == Frequency.MONTHLY:
        year, month = first.year, first.month
        while True:
            day = first_weekday_of_month(year, month, weekday)
            if day > last:
                return
            if day >= first:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = dt.timedelta(days=STEP_DAYS[Frequency(frequency)])
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += step


def first_weekday_of_month(year: int, month: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def slots(cadence: Cadence, org: Organisation, first: dt.date, last: dt.date) -> list[dt.datetime]:
    """The cadence's meeting times from `first` to `last`, within its own dates."""
    first = max(first, cadence.starts_on)
    if cadence.ends_on is not None:
        last = min(last, cadence.ends_on)
    days = slot_days(cadence.frequency, cadence.weekday, first, last)
    if cadence.frequency == Frequency.FORTNIGHTLY:
        # A fortnight counts from the cadence's own first 1:1, not from `first`.
        start = cadence.starts_on
        origin = start + dt.timedelta(days=(cadence.weekday - start.weekday()) % 7)
        weekly = slot_days(Frequency.WEEKLY, cadence.weekday, first, last)
        days = (day for day in weekly if (day - origin).days % 14 == 0)
    return [at(org, day, cadence.time) for day in days]


def pair_manager(rep: Person, day: dt.date | None = None) -> Person | None:
    """The rep's direct manager today: the other half of their 1:1s."""
    line = line_on(rep, day or today_for(rep.organisation))
    return line.manager if line is not None else None


def current_cadence(rep: Person) -> Cadence | None:
    return (
        Cadence.objects.filter(rep=rep, ends_on__isnull=True)
        .select_related("manager")
        .order_by("-starts_on")
        .first()
    )


@transaction.atomic
def set_cadence(
    viewer: Person,
    rep: Person,
    *,
    frequency: str,
    weekday: int,
    time: dt.time,
    duration_minutes: int = 30,
    today: dt.date | None = None,
) -> Cadence:
    """Create the pair's cadence, or change it from today on; reschedules the future 1:1s."""
    if not rights.can_coach(viewer, rep):
        raise PermissionDenied(_("Only someone who coaches this rep sets their 1:1 cadence."))
    org = rep.organisation
    today = today or today_for(org)
    manager = pair_manager(rep, today)
    if manager is None:
        raise ValidationError({"rep": _("This rep reports to no one: a 1:1 needs a manager.")})
    old = current_cadence(rep)
    fields = {
        "frequency": frequency,
        "weekday": weekday,
        "time": time,
        "duration_minutes": duration_minutes,
    }
    if old is not None and old.manager_id == manager.pk:
        if all(getattr(old, name) == value for name, value in fields.items()):
            return old
    cadence = Cadence(organisation=org, manager=manager, rep=rep, starts_on=today, **fields)
    cadence.full_clean(validate_constraints=False)
    future = []
    if old is not None:
        now = timezone.now()
        future = list(
            Meeting.objects.filter(
                cadence=old,
                status=MeetingStatus.SCHEDULED,
                scheduled_at__gte=now,
                moved_from__isnull=True,
            ).order_by("scheduled_at")
        )
        if old.starts_on < today:
            old.ends_on = today - dt.timedelta(days=1)
            old.save()
        else:
            old.ends_on = old.starts_on
            old.save()
    cadence.save()
    _reschedule(cadence, future, today)
    if old is not None and old.starts_on >= today and not old.meetings.exists():
        old.delete()  # it never met: nothing of it to keep
    until = today + dt.timedelta(days=SCHEDULE_AHEAD_DAYS - 1)
    schedule_meetings(org, until, cadences=[cadence], since=timezone.now())
    return cadence


def _reschedule(cadence: Cadence, meetings: list[Meeting], today: dt.date) -> None:
    """Give the old cadence's future meetings the new cadence's times, in order."""
    if not meetings:
        return
    org = cadence.organisation
    last = max(local_day(org, meetings[-1].scheduled_at), today + dt.timedelta(SCHEDULE_AHEAD_DAYS))
    now = timezone.now()
    times = [moment for moment in slots(cadence, org, today, last) if moment >= now]
    for meeting, moment in zip(meetings, times, strict=False):
        meeting.cadence = cadence
        meeting.manager = cadence.manager
        meeting.scheduled_at = moment
        meeting.duration_minutes = cadence.duration_minutes
        meeting.save()
    for meeting in meetings[len(times) :]:
        meeting.delete()


def schedule_meetings(
    org: Organisation,
    until: dt.date,
    *,
    cadences: list[Cadence] | None = None,
    since: dt.datetime | None = None,
) -> int:
    """Create the missing 1:1s of every cadence of `org` up to `until`; returns how many.

    Idempotent: a slot that has a meeting (whatever became of it) is not filled again.
    `since` leaves out the slots before a moment (a new cadence does not fill the past).
    Three queries however many pairs: the cadences, the slots taken, one bulk insert.
    """
    if cadences is None:
        cadences = list(Cadence.objects.filter(organisation=org, starts_on__lte=until))
    if not cadences:
        return 0
    ids = [c.pk for c in cadences]
    first = min(c.starts_on for c in cadences)
    taken = set(
        Meeting.objects.filter(
            cadence_id__in=ids, scheduled_at__gte=at(org, first, dt.time.min)
        ).values_list("cadence_id", "scheduled_at")
    )
    new = []
    for cadence in cadences:
        for moment in slots(cadence, org, cadence.starts_on, until):
            if (cadence.pk, moment) not in taken and (since is None or moment >= since):
                new.append(
                    Meeting(
                        organisation=org,
                        kind=MeetingKind.ONE_ON_ONE,
                        manager_id=cadence.manager_id,
                        rep_id=cadence.rep_id,
                        cadence=cadence,
                        scheduled_at=moment,
                        duration_minutes=cadence.duration_minutes,
                    )
                )
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def keep_schedules(now: dt.datetime | None = None) -> int:
    """Keep every organisation's 1:1s scheduled eight weeks ahead (the daily job); how many made."""
    now = now or timezone.now()
    made = 0
    org_ids = Cadence.objects.filter(ends_on__isnull=True).values("organisation_id")
    for org in Organisation.objects.filter(pk__in=org_ids):
        until = local_day(org, now) + dt.timedelta(days=SCHEDULE_AHEAD_DAYS - 1)
        made += schedule_meetings(org, until, since=now)
    return made


def _check_open(meeting: Meeting, action: str) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(
            {
                "status": _("This meeting was %(status)s already: it cannot be %(action)s.")
                % {"status": meeting.get_status_display().lower(), "action": action}
            }
        )


def _check_pair(viewer: Person, meeting: Meeting) -> None:
    if not rights.in_pair(viewer, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep change it."))


@transaction.atomic
def move_meeting(
    viewer: Person, meeting: Meeting, when: dt.datetime, *, duration_minutes: int | None = None
) -> Meeting:
    """Move a scheduled meeting: it ends as moved, a new one points back to it."""
    _check_pair(viewer, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting, _("moved"))
    if when == meeting.scheduled_at:
        raise ValidationError({"scheduled_at": _("Choose another time than the one it has.")})
    meeting.status = MeetingStatus.MOVED
    meeting.ended_at = timezone.now()
    meeting.save()
    moved = Meeting(
        organisation=meeting.organisation,
        kind=meeting.kind,
        manager=meeting.manager,
        rep=meeting.rep,
        cadence=meeting.cadence,
        deal=meeting.deal,
        scheduled_at=when,
        duration_minutes=duration_minutes or meeting.duration_minutes,
        moved_from=meeting,
        created_by=viewer,
    )
    moved.full_clean(validate_constraints=False)
    if meeting.cadence_id and Meeting.objects.filter(cadence=meeting.cadence, scheduled_at=when):
        raise ValidationError({"scheduled_at": _("The pair has a 1:1 at that time already.")})
    moved.save()
    # What was added for the meeting is still to be discussed: it goes along.
    for item in meeting.items.all():
        item.meeting = moved
        item.save()
    return moved


@transaction.atomic
def end_meeting(
    viewer: Person,
    meeting: Meeting,
    status: str,
    *,
    missed_by: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """End a scheduled meeting as held (its agenda frozen) or missed (by whom)."""
    from followthrough.coaching.agenda import build_agenda

    _check_pair(viewer, meeting)
    meeting = Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)
    _check_open(meeting, _("ended"))
    now = now or timezone.now()
    if status == MeetingStatus.HELD:
        org = meeting.organisation
        if local_day(org, meeting.scheduled_at) > local_day(org, now):
            raise ValidationError({"status": _("A meeting is held on its day, not before.")})
        # The agenda as it stood on the day it was held (a meeting may be ended later).
        day = min(local_day(org, meeting.scheduled_at), local_day(org, now))
        meeting.agenda = build_agenda(meeting, today=day).as_json()
        meeting.missed_by = ""
    elif status == MeetingStatus.MISSED:
        if missed_by not in MissedBy.values:
            raise ValidationError({"missed_by": _("Say who missed the meeting.")})
        meeting.missed_by = missed_by
    else:
        raise ValidationError({"status": _("A meeting ends as held or missed.")})
    meeting.status = status
    meeting.ended_at = now
    meeting.save()
    return meeting
