"""Reading meetings: a person's 1:1s and reviews, the filters shared by the page and the API,
and creating a deal review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import Meeting, MeetingKind, MeetingStatus
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import supported
from followthrough.people.models import Person


def visible_meetings(viewer: Person) -> QuerySet[Meeting]:
    """Meetings `viewer` may see: their own pairs', and those of the reps they see."""
    return Meeting.objects.filter(
        rights.visible_filter(viewer, "rep")
        | Q(manager_id=viewer.pk, organisation_id=viewer.organisation_id)
    )


@dataclass(frozen=True)
class MeetingQuery:
    """The filters of the meeting list and /api/v1/meetings/: person, kind, status, from, until."""

    person: int | None = None
    kind: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def from_params(cls, params) -> MeetingQuery:
        def day(name: str) -> dt.date | None:
            try:
                value = dt.date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None
            return value if supported(value) else None

        kind = params.get("kind", "")
        status = params.get("status", "")
        return cls(
            person=parse_id(params.get("person", "")),
            kind=kind if kind in MeetingKind.values else "",
            status=status if status in MeetingStatus.values else "",
            start=day("from"),
            end=day("until"),
        )

    def apply(self, meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
        if self.person is not None:
            meetings = meetings.filter(Q(rep_id=self.person) | Q(manager_id=self.person))
        if self.kind:
            meetings = meetings.filter(kind=self.kind)
        if self.status:
            meetings = meetings.filter(status=self.status)
        if self.start:
            meetings = meetings.filter(scheduled_at__date__gte=self.start)
        if self.end:
            meetings = meetings.filter(scheduled_at__date__lte=self.end)
        return meetings


def meetings_of(person: Person) -> QuerySet[Meeting]:
    """A person's own meetings, as rep or as manager."""
    return Meeting.objects.filter(
        Q(rep_id=person.pk) | Q(manager_id=person.pk), organisation_id=person.organisation_id
    ).select_related("rep", "manager", "deal")


def split_upcoming(meetings: QuerySet[Meeting], org, now: dt.datetime | None = None):
    """(upcoming scheduled meetings, soonest first; past or ended ones, latest first)."""
    from followthrough.coaching.cadence import at, local_day

    now = now or timezone.now()
    # A meeting of today stays upcoming until it ends.
    start_of_day = at(org, local_day(org, now), dt.time.min)
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED, scheduled_at__gte=start_of_day)
    past = meetings.exclude(pk__in=upcoming.values("pk"))
    return upcoming.order_by("scheduled_at", "pk"), past.order_by("-scheduled_at", "-pk")


@transaction.atomic
def create_deal_review(
    viewer: Person, deal: Deal, when: dt.datetime, *, duration_minutes: int = 30
) -> Meeting:
    """A meeting about one deal between the deal's owner and the one who coaches them."""
    rep = deal.owner
    if rep is None:
        raise ValidationError({"deal": _("This deal has no owner to review it with.")})
    if deal.organisation_id != viewer.organisation_id or not rights.can_coach(viewer, rep):
        raise PermissionDenied(_("Only someone who coaches the deal's owner reviews it."))
    if deal.outcome != Outcome.OPEN:
        raise ValidationError({"deal": _("This deal is closed: review the open ones.")})
    meeting = Meeting(
        organisation_id=viewer.organisation_id,
        kind=MeetingKind.DEAL_REVIEW,
        manager=viewer,
        rep=rep,
        deal=deal,
        scheduled_at=when,
        duration_minutes=duration_minutes,
        created_by=viewer,
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    return meeting


@transaction.atomic
def create_one_on_one(
    viewer: Person, rep: Person, when: dt.datetime, *, duration_minutes: int = 30
) -> Meeting:
    """A 1:1 outside the cadence, with someone the viewer coaches."""
    if not rights.can_coach(viewer, rep):
        raise PermissionDenied(_("Only someone who coaches this rep holds 1:1s with them."))
    meeting = Meeting(
        organisation_id=viewer.organisation_id,
        kind=MeetingKind.ONE_ON_ONE,
        manager=viewer,
        rep=rep,
        scheduled_at=when,
        duration_minutes=duration_minutes,
        created_by=viewer,
    )
    meeting.full_clean(validate_constraints=False)
    meeting.save()
    return meeting
