"""How the audit history names programs, milestones and enrolments: starter texts in the
reader's language (they are stored as English msgids, see starter.py)."""

from __future__ import annotations

from typing import Any

from followthrough.assessments.texts import shown

TEXTS = ("name", "description", "definition_of_done")


def text_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    """Starter texts, and the program or milestone a row points at, in the reader's language."""
    from followthrough.programs.models import Milestone, Program

    if field in TEXTS and isinstance(value, str):
        return shown(value)
    if field == "enrolment":
        return _enrolment_name(memo, value)
    related = {"program": Program, "milestone": Milestone}.get(field)
    if related is not None:
        name = _name_of(memo, related, value)
        return shown(name) if name else None
    return None


def named_title(values: dict[str, Any], memo: dict) -> str | None:
    name = values.get("name")
    return shown(name) if isinstance(name, str) else None


def _name_of(memo: dict, model, pk) -> str | None:
    """A row's name (a person's, a program's, a milestone's), looked up once per page."""
    if pk in (None, ""):
        return None
    known = memo.get("names", {}).get((model, pk))
    if known is not None:
        return known
    key = (model._meta.label, pk)
    if key not in memo:
        memo[key] = model.objects.filter(pk=pk).values_list("name", flat=True).first()
    return memo[key]


def _enrolment_name(memo: dict, pk) -> str | None:
    from followthrough.programs.models import Enrolment

    key = ("enrolment", pk)
    if key not in memo:
        found = Enrolment.objects.filter(pk=pk).values_list("person__name", "program__name")
        pair = found.first()
        memo[key] = f"{pair[0]} · {shown(pair[1])}" if pair else None
    return memo[key]


def enrolment_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Lotte Bakker · 30/60/90-day onboarding plan'."""
    from followthrough.people.models import Person
    from followthrough.programs.models import Program

    person = _name_of(memo, Person, values.get("person"))
    program = _name_of(memo, Program, values.get("program"))
    if not (person and program):
        return None
    return f"{person} · {shown(program)}"


def completion_title(values: dict[str, Any], memo: dict) -> str | None:
    from followthrough.programs.models import Milestone

    name = _name_of(memo, Milestone, values.get("milestone"))
    return shown(name) if name else None
