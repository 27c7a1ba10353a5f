"""Private calendar feeds (RFC 5545): a person's 1:1s, deal reviews and due dates.

Each person may have one secret token (CalendarFeed); the feed at its address needs no
login, so the token is the only key: made with secrets.token_urlsafe, replaced when
regenerated, gone when revoked.

What the feed holds, from four queries whatever the history's length:
- the person's meetings (as manager or rep) from RECENT_DAYS ago to AHEAD_DAYS ahead:
  scheduled and held ones as they are, moved and missed ones as CANCELLED so that
  calendar apps take them off; each meeting keeps its UID, and its SEQUENCE grows with
  every change (seconds between its creation and its last change), so an app updates
  the event in place when the meeting is moved or the cadence changes its time;
- their open commitments' due dates, as all-day events;
- a rep's next self-report due dates (coaching.intervals), as all-day events.

Written by hand (a few dozen lines): escaping, CRLF line ends and folding at 75 octets.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from followthrough.coaching.intervals import intervals_for, next_period, period_for
from followthrough.coaching.models import (
    CalendarFeed,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from followthrough.people.models import Person, Role

RECENT_DAYS = 60
AHEAD_DAYS = 365
SELF_REPORTS_AHEAD = 4
PRODID = "-//Followthrough//Follow-through calendar//EN"
TOKEN_BYTES = 32


# ---------------------------------------------------------------- tokens


def feed_of(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(person=person).first()


@transaction.atomic
def regenerate(person: Person) -> CalendarFeed:
    """A new secret address for `person`'s feed: the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(person=person).first()
    if feed is None:
        feed = CalendarFeed(person=person, organisation_id=person.organisation_id)
    feed.token = secrets.token_urlsafe(TOKEN_BYTES)
    feed.save()
    return feed


def revoke(person: Person) -> None:
    CalendarFeed.objects.filter(person=person).delete()


def person_for_token(token: str) -> Person | None:
    feed = (
        CalendarFeed.objects.select_related("person__organisation")
        .filter(token=token, person__is_active=True)
        .first()
    )
    return feed.person if feed else None


# ---------------------------------------------------------------- the writer


def escape(text: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets folded (RFC 5545 3.1), never inside a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not parts else 74  # continuation lines start with a space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _event(fields: list[tuple[str, str]]) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    for name, value in fields:
        yield f"{name}:{value}"
    yield "END:VEVENT"


def _meeting_fields(meeting: Meeting, person: Person, host: str) -> list[tuple[str, str]]:
    other = meeting.rep if person.pk == meeting.manager_id else meeting.manager
    if meeting.kind == MeetingKind.DEAL_REVIEW:
        summary = _("Deal review with %(person)s: %(deal)s") % {
            "person": other.name,
            "deal": meeting.deal.name if meeting.deal else "",
        }
    else:
        summary = _("1:1 with %(person)s") % {"person": other.name}
    cancelled = meeting.status in (MeetingStatus.MOVED, MeetingStatus.MISSED)
    sequence = max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))
    end = meeting.scheduled_at + dt.timedelta(minutes=meeting.duration_minutes)
    return [
        ("UID", f"meeting-{meeting.pk}@{host}"),
        ("DTSTAMP", _utc(meeting.updated_at)),
        ("SEQUENCE", str(sequence)),
        ("DTSTART", _utc(meeting.scheduled_at)),
        ("DTEND", _utc(end)),
        ("SUMMARY", escape(summary)),
        ("STATUS", "CANCELLED" if cancelled else "CONFIRMED"),
        ("TRANSP", "OPAQUE"),
    ]


def _all_day(uid: str, day: dt.date, summary: str, stamp: dt.datetime) -> list[tuple[str, str]]:
    return [
        ("UID", uid),
        ("DTSTAMP", _utc(stamp)),
        ("DTSTART;VALUE=DATE", _date(day)),
        ("DTEND;VALUE=DATE", _date(day + dt.timedelta(days=1))),
        ("SUMMARY", escape(summary)),
        ("TRANSP", "TRANSPARENT"),
    ]


def self_report_due_dates(person: Person, today: dt.date, count: int = SELF_REPORTS_AHEAD):
    """The next `count` self-report due dates of a rep, today's included."""
    interval = intervals_for(person.organisation, [person.pk], today)[person.pk]
    period = period_for(interval, today)
    dates = []
    while len(dates) < count:
        if period.due_on >= today:
            dates.append(period.due_on)
        period = next_period(interval, period)
    return dates


def build_feed(person: Person, now: dt.datetime) -> str:
    """The iCalendar text of `person`'s feed at `now`."""
    org = person.organisation
    host = f"{org.slug}.followthrough"  # UIDs stay the same whatever address serves the feed
    today = now.astimezone(zoneinfo.ZoneInfo(org.timezone)).date()
    meetings = (
        Meeting.objects.filter(organisation=org)
        .filter(Q(manager=person) | Q(rep=person))
        .filter(
            scheduled_at__gte=now - dt.timedelta(days=RECENT_DAYS),
            scheduled_at__lte=now + dt.timedelta(days=AHEAD_DAYS),
        )
        .select_related("manager", "rep", "deal")
        .order_by("scheduled_at", "pk")
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(_('Followthrough: %(name)s') % {'name': person.name})}",
    ]
    for meeting in meetings:
        lines.extend(_event(_meeting_fields(meeting, person, host)))
    commitments = Commitment.objects.filter(
        organisation=org,
        owner=person,
        status=CommitmentStatus.OPEN,
        due_on__gte=today - dt.timedelta(days=RECENT_DAYS),
    ).order_by("due_on", "pk")
    for commitment in commitments:
        summary = _("Due: %(commitment)s") % {"commitment": commitment.text}
        uid = f"commitment-{commitment.pk}@{host}"
        lines.extend(_event(_all_day(uid, commitment.due_on, summary, commitment.updated_at)))
    if person.role == Role.REP:
        midnight = dt.datetime.combine(today, dt.time(), dt.UTC)
        for day in self_report_due_dates(person, today):
            uid = f"self-report-{person.pk}-{day.isoformat()}@{host}"
            lines.extend(_event(_all_day(uid, day, _("Self-report due"), midnight)))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
