"""Who may see and do what in the follow-through, built on people.access.

The rules, in plain words:
- Coaching records are the rep's: the rep sees their own, everyone above them in the
  reporting line sees them too, and an admin sees the organisation's. A peer rep sees
  nothing of another rep's 1:1s, commitments, self-reports, problems or ladder.
- A meeting belongs to its pair: only its manager and its rep write in it (leaders read).
  Each person edits only their own notes and items.
- A private note is for its author and the people the author reports to. Never the
  rep, and not an admin outside that line either.
- Managers act for the people reporting to them (cadences, reviews, ladder steps,
  agreements); nobody opens a ladder step or sets an agreement for themself.
- A rep writes their own self-reports and raises their own problems; nobody else does.
"""

from __future__ import annotations

from django.db.models import Q

from followthrough.people import access
from followthrough.people.models import Person, Role

MANAGING_ROLES = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def can_view_coaching(viewer: Person | None, person: Person) -> bool:
    """May `viewer` see `person`'s 1:1s, commitments, self-reports, problems and ladder?"""
    return access.can_view_person(viewer, person)


def can_coach(viewer: Person | None, rep: Person) -> bool:
    """May `viewer` hold 1:1s and reviews with `rep`, and act for them (ladder, agreement)?"""
    if viewer is None or viewer.pk == rep.pk or viewer.role not in MANAGING_ROLES:
        return False
    return access.manages(viewer, rep)


def visible_filter(viewer: Person, field: str) -> Q:
    """Rows whose person (`field`, e.g. "rep" or "owner") `viewer` may see."""
    ids = access.visible_person_ids(viewer)
    query = Q(organisation_id=viewer.organisation_id)
    return query if ids is None else query & Q(**{f"{field}_id__in": ids})


def in_pair(viewer: Person | None, meeting) -> bool:
    """Is `viewer` one of the meeting's two people?"""
    return viewer is not None and viewer.pk in (meeting.manager_id, meeting.rep_id)


def can_view_meeting(viewer: Person | None, meeting) -> bool:
    if viewer is None or meeting.organisation_id != viewer.organisation_id:
        return False
    return in_pair(viewer, meeting) or can_view_coaching(viewer, meeting.rep)


def can_view_private_note(viewer: Person | None, note) -> bool:
    """Its author, and the people the author reports to; never the rep of the meeting."""
    if viewer is None or note.organisation_id != viewer.organisation_id:
        return False
    if viewer.pk == note.meeting.rep_id:
        return False
    return viewer.pk == note.author_id or access.manages(viewer, note.author)


def can_edit_note(viewer: Person | None, note) -> bool:
    return viewer is not None and viewer.pk == note.author_id


def can_view_commitment(viewer: Person | None, commitment) -> bool:
    return can_view_coaching(viewer, commitment.owner)


def can_commit_for(viewer: Person | None, owner: Person) -> bool:
    """A commitment is made by its owner, or set by someone the owner reports to."""
    if viewer is None or owner.organisation_id != viewer.organisation_id:
        return False
    return viewer.pk == owner.pk or can_coach(viewer, owner)


def can_update_commitment(viewer: Person | None, commitment) -> bool:
    return can_commit_for(viewer, commitment.owner)


def can_write_self_report(viewer: Person | None, rep: Person) -> bool:
    return viewer is not None and viewer.pk == rep.pk


def can_review_self_report(viewer: Person | None, report) -> bool:
    return can_coach(viewer, report.rep)


def can_raise_problem(viewer: Person | None, rep: Person) -> bool:
    return viewer is not None and viewer.pk == rep.pk


def can_resolve_problem(viewer: Person | None, problem) -> bool:
    return viewer is not None and (viewer.pk == problem.rep_id or can_coach(viewer, problem.rep))
