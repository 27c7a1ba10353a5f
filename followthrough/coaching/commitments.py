"""Commitments: something a rep or a manager promised, by a date.

A commitment without a due date is not accountable (DOMAIN P4), so it is refused,
and so is one due before the day it is made. It is closed as done (with the
evidence that shows it), dropped or missed. Overdue is computed, never stored: an
open commitment whose due date is before today in the organisation's time zone.
Overdue ones stay on the owner's and the manager's lists, marked, until closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import Commitment, CommitmentStatus, Meeting
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person

CLOSED = (CommitmentStatus.DONE, CommitmentStatus.DROPPED, CommitmentStatus.MISSED)
# The list's status filter: the stored statuses, and "overdue" (open and past due).
OVERDUE = "overdue"


def overdue_filter(today: dt.date) -> Q:
    """Commitments still open after their due date."""
    return Q(status=CommitmentStatus.OPEN, due_on__lt=today)


def is_overdue(commitment: Commitment, today: dt.date) -> bool:
    return commitment.status == CommitmentStatus.OPEN and commitment.due_on < today


def kept_on_time(commitment: Commitment) -> bool:
    """Done by its due date (the manager scorecard counts these)."""
    return (
        commitment.status == CommitmentStatus.DONE
        and commitment.closed_on is not None
        and commitment.closed_on <= commitment.due_on
    )


def visible_commitments(viewer: Person) -> QuerySet[Commitment]:
    """The viewer's own commitments and those of the people reporting to them."""
    return Commitment.objects.filter(rights.visible_filter(viewer, "owner"))


def check_meeting(meeting: Meeting | None, viewer: Person, owner: Person) -> None:
    """A commitment made in a meeting belongs to its pair: the viewer and the owner are in it."""
    if meeting is None:
        return
    if meeting.organisation_id != viewer.organisation_id:
        raise ValidationError({"meeting": _("No such meeting.")})
    if not (rights.in_pair(viewer, meeting) and rights.in_pair(owner, meeting)):
        raise ValidationError(
            {"meeting": _("You and the owner must both be in the meeting it was made in.")}
        )


def check_dates(due_on: dt.date | None, created_on: dt.date) -> None:
    if due_on is None:
        raise ValidationError(
            {"due_on": _("Give a due date: a commitment without one is not accountable.")}
        )
    if due_on < created_on:
        raise ValidationError({"due_on": _("The due date is before the day it is made.")})


def make_commitment(
    *,
    by: Person,
    owner: Person,
    text: str,
    due_on: dt.date | None,
    meeting: Meeting | None = None,
    metric_key: str = "",
    goal=None,
    deal=None,
    today: dt.date | None = None,
) -> Commitment:
    """A new open commitment of `owner`, made by them or by someone they report to."""
    if not rights.can_commit_for(by, owner):
        raise PermissionDenied("You may not make commitments for this person.")
    today = today or today_for(owner.organisation)
    if not text or not text.strip():
        raise ValidationError({"text": _("Say what you commit to.")})
    check_dates(due_on, today)
    check_meeting(meeting, by, owner)
    commitment = Commitment(
        organisation_id=owner.organisation_id,
        owner=owner,
        created_by=by,
        text=text.strip(),
        created_on=today,
        due_on=due_on,
        meeting=meeting,
        metric_key=metric_key or "",
        goal=goal,
        deal=deal,
    )
    commitment.full_clean()
    commitment.save()
    return commitment


def close_commitment(
    commitment: Commitment,
    *,
    by: Person,
    status: str,
    evidence: str = "",
    today: dt.date | None = None,
) -> Commitment:
    """Close as done (evidence required), dropped or missed; saved, so the audit keeps it."""
    if not rights.can_update_commitment(by, commitment):
        raise PermissionDenied("You may not close this commitment.")
    if status not in CLOSED:
        raise ValidationError({"status": _("Choose done, dropped or missed.")})
    if status == CommitmentStatus.DONE and not (evidence or "").strip():
        raise ValidationError({"evidence": _("Say what shows it is done.")})
    commitment.status = status
    commitment.evidence = (evidence or "").strip()
    commitment.closed_on = today or today_for(commitment.owner.organisation)
    commitment.save()
    return commitment


def reopen_commitment(commitment: Commitment, *, by: Person) -> Commitment:
    if not rights.can_update_commitment(by, commitment):
        raise PermissionDenied("You may not change this commitment.")
    commitment.status = CommitmentStatus.OPEN
    commitment.closed_on = None
    commitment.save()
    return commitment


@dataclass(frozen=True)
class CommitmentQuery:
    """The list's filters, read the same way by the page and the API."""

    person: int | None = None
    status: str = ""
    start: dt.date | None = None
    until: dt.date | None = None

    @classmethod
    def from_params(cls, params) -> CommitmentQuery:
        status = params.get("status") or ""
        if status not in (*CommitmentStatus.values, OVERDUE):
            status = ""
        return cls(
            person=parse_id(params.get("person")),
            status=status,
            start=parse_day(params.get("from")),
            until=parse_day(params.get("until")),
        )

    @property
    def active(self) -> bool:
        return bool(self.person or self.status or self.start or self.until)


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD day from a query string, or None (bad text filters nothing)."""
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if dt.date(1900, 1, 1) <= day <= dt.date(2199, 12, 31) else None


def filter_commitments(
    commitments: QuerySet[Commitment], query: CommitmentQuery, today: dt.date
) -> QuerySet[Commitment]:
    """`from`/`until` bound the due date."""
    if query.person:
        commitments = commitments.filter(owner_id=query.person)
    if query.status == OVERDUE:
        commitments = commitments.filter(overdue_filter(today))
    elif query.status:
        commitments = commitments.filter(status=query.status)
    if query.start:
        commitments = commitments.filter(due_on__gte=query.start)
    if query.until:
        commitments = commitments.filter(due_on__lte=query.until)
    return commitments


def during(commitments: QuerySet[Commitment], start: dt.date, end: dt.date) -> QuerySet:
    """Commitments that were open at some time between `start` and `end` (a self-report's)."""
    return commitments.filter(created_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
