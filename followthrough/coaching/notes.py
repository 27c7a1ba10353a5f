"""Notes on a meeting, in the coaching order, and agenda items.

The rules, in plain words:
- Only the meeting's pair writes in it, and each person edits only their own notes.
- The rep answers the team's reflective questions first; the manager's feedback
  comes after the rep has answered (the manager coaches, not tells).
- The manager also keeps private notes: for the author and the people the author
  reports to, never for the rep (rights.can_view_private_note).
- A meeting that was moved is closed: its notes go on the meeting it moved to.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import (
    AgendaItem,
    Meeting,
    MeetingNote,
    MeetingStatus,
    NoteKind,
)
from followthrough.people.models import Person

WRITTEN_BY_REP = (NoteKind.REFLECTION,)
WRITTEN_BY_MANAGER = (NoteKind.FEEDBACK, NoteKind.PRIVATE)


def _check_writer(viewer: Person, meeting: Meeting, kind: str) -> None:
    if not rights.in_pair(viewer, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep write in it."))
    if meeting.status in (MeetingStatus.MOVED,):
        raise ValidationError({"text": _("This meeting was moved: write in the new one.")})
    if kind in WRITTEN_BY_REP and viewer.pk != meeting.rep_id:
        raise PermissionDenied(_("The rep answers the reflective questions."))
    if kind in WRITTEN_BY_MANAGER and viewer.pk != meeting.manager_id:
        raise PermissionDenied(_("Feedback and private notes are the manager's."))


def visible_notes(viewer: Person, meeting: Meeting) -> list[MeetingNote]:
    """The meeting's notes `viewer` may read: shared ones, and private ones by the rule."""
    notes = list(meeting.notes.select_related("author", "meeting"))
    return [
        n for n in notes if n.kind != NoteKind.PRIVATE or rights.can_view_private_note(viewer, n)
    ]


@transaction.atomic
def save_reflections(viewer: Person, meeting: Meeting, answers: dict[str, str]) -> int:
    """The rep's answers, one note per question (a blank answer removes it); how many kept."""
    _check_writer(viewer, meeting, NoteKind.REFLECTION)
    existing = {
        n.question: n for n in meeting.notes.filter(kind=NoteKind.REFLECTION, author_id=viewer.pk)
    }
    kept = 0
    for question, text in answers.items():
        text = (text or "").strip()
        note = existing.get(question)
        if not text:
            if note is not None:
                note.delete()
            continue
        kept += 1
        if note is None:
            note = MeetingNote(
                organisation_id=meeting.organisation_id,
                meeting=meeting,
                author=viewer,
                kind=NoteKind.REFLECTION,
                question=question[:300],
            )
        elif note.text == text:
            continue
        note.text = text
        note.save()
    return kept


def has_reflected(meeting: Meeting) -> bool:
    return meeting.notes.filter(kind=NoteKind.REFLECTION, author_id=meeting.rep_id).exists()


@transaction.atomic
def add_note(viewer: Person, meeting: Meeting, kind: str, text: str) -> MeetingNote:
    """The manager's feedback (after the rep's reflection) or a private note."""
    if kind not in NoteKind.values or kind == NoteKind.REFLECTION:
        raise ValidationError({"kind": _("Choose feedback or a private note.")})
    _check_writer(viewer, meeting, kind)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if kind == NoteKind.FEEDBACK and not has_reflected(meeting):
        raise ValidationError(
            {"text": _("The rep answers the reflective questions first; then your feedback.")}
        )
    note = MeetingNote(
        organisation_id=meeting.organisation_id,
        meeting=meeting,
        author=viewer,
        kind=kind,
        text=text,
    )
    note.save()
    return note


@transaction.atomic
def edit_note(viewer: Person, note: MeetingNote, text: str) -> MeetingNote:
    if not rights.can_edit_note(viewer, note):
        raise PermissionDenied(_("Each person edits only their own notes."))
    _check_writer(viewer, note.meeting, note.kind)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    note.text = text
    note.save()
    return note


@transaction.atomic
def delete_note(viewer: Person, note: MeetingNote) -> None:
    if not rights.can_edit_note(viewer, note):
        raise PermissionDenied(_("Each person edits only their own notes."))
    note.delete()


@transaction.atomic
def add_item(viewer: Person, meeting: Meeting, text: str) -> AgendaItem:
    """Something either side wants to discuss; only before the meeting ends."""
    if not rights.in_pair(viewer, meeting):
        raise PermissionDenied(_("Only the meeting's manager and rep add to its agenda."))
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"text": _("This meeting has ended: add it to the next one.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what you want to discuss.")})
    item = AgendaItem(
        organisation_id=meeting.organisation_id, meeting=meeting, added_by=viewer, text=text[:500]
    )
    item.save()
    return item


@transaction.atomic
def remove_item(viewer: Person, item: AgendaItem) -> None:
    if viewer.pk != item.added_by_id:
        raise PermissionDenied(_("Each person removes only what they added."))
    if item.meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"text": _("This meeting has ended: its agenda stays as it was.")})
    item.delete()
