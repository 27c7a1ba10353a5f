"""The audit history of meeting notes in the reader's language.

registrations.py registers MeetingNote with a display that hides private notes; this
adds, for the same model, the starter questions and the note's kind translated on
display, and a title that names the note without a private note's text. Registering
again replaces the display and title and keeps the signals (one dispatch uid).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from followthrough.audit.registry import register
from followthrough.coaching.models import MeetingNote, NoteKind
from followthrough.coaching.questions import display_question
from followthrough.coaching.registrations import _note_display

# Meeting fields without a verbose name: the audit history labels them with these.
FIELD_LABELS = (gettext_noop("cadence"), gettext_noop("created by"))


def note_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    shown = _note_display(field, value, values, memo)
    if shown is not None:
        return shown
    if field == "question" and value:
        return display_question(str(value))
    if field == "kind" and value in NoteKind.values:
        return str(NoteKind(value).label)
    return None


def note_title(values: dict, memo: dict) -> str | None:
    kind = values.get("kind")
    if kind not in NoteKind.values:
        return None
    label = str(NoteKind(kind).label)
    if kind == NoteKind.PRIVATE:
        return label
    question = values.get("question")
    if question:
        return _("%(kind)s: %(question)s") % {"kind": label, "question": display_question(question)}
    return label


register(MeetingNote, display=note_display, title=note_title)
