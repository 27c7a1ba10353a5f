"""How coaching records read in the audit history, in the reader's language.

Without a title, the history shows an object as it was named when it changed, in the
language of whoever changed it ("Sara Visser: Coach and develop"). These titles and
values are built from the recorded values when the history is read. A private note's
text never shows: admins outside the author's line read the history too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from followthrough.coaching.models import NoteKind, Step
from followthrough.coaching.questions import display_question
from followthrough.people.models import Person, Team


def _name(memo: dict, model, pk) -> str:
    return memo.get("names", {}).get((model, pk), "") if pk else ""


def ladder_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Sara Visser · Coach and develop'."""
    try:
        label = Step(int(values.get("step"))).label
    except (TypeError, ValueError):
        return None
    name = _name(memo, Person, values.get("rep"))
    return f"{name} · {label}" if name else str(label)


def agreement_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Benelux · version 2', or the rep's name for a rep's own agreement."""
    version = values.get("version")
    if version is None:
        return None
    name = _name(memo, Person, values.get("rep")) or _name(memo, Team, values.get("team"))
    return _("%(name)s · version %(version)s") % {"name": name, "version": version}


def note_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    # The audit page is read by admins outside the author's line: a private note stays private.
    if field == "text" and values.get("kind") == NoteKind.PRIVATE:
        return _("(private note)")
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
