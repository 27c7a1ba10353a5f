"""How assessments, ratings and focus areas read in the audit history, in the reader's language.

Without a title the history shows an object as it was named when it changed, in the
language of whoever changed it ("Manager assessment: Ruben Rep 2026-07-01"). These
titles are built from the recorded values when the history is read. An assessment's
private note never shows: admins outside the rater's line read the history too; and
an anonymous peer review's title never names its rater.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from followthrough.assessments.models import AssessmentKind, Competency
from followthrough.assessments.texts import shown
from followthrough.people.models import Person


def _name(memo: dict, model, pk) -> str:
    return memo.get("names", {}).get((model, pk), "") if pk else ""


def assessment_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Manager assessment · Ruben Rep · 2026-07-01'."""
    try:
        kind = AssessmentKind(values.get("kind")).label
    except ValueError:
        return None
    name = _name(memo, Person, values.get("rep"))
    return " · ".join(str(part) for part in (kind, name, values.get("cycle_start")) if part)


def assessment_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    if field == "private_note":
        return _("(private note)")
    return None


def competency_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    """A rating's or focus area's competency in the reader's language, as on the pages."""
    if field == "competency" and value:
        return shown(_name(memo, Competency, value)) or None
    return None


def rating_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Building rapport on a sales call · meets', the competency in the reader's language."""
    name = _name(memo, Competency, values.get("competency"))
    if not name:
        return None
    return f"{shown(name)} · {values.get('level', '')}".strip(" ·")


def focus_title(values: dict[str, Any], memo: dict) -> str | None:
    name = _name(memo, Competency, values.get("competency"))
    rep = _name(memo, Person, values.get("rep"))
    if not name:
        return None
    return " · ".join(part for part in (shown(name), rep) if part)
