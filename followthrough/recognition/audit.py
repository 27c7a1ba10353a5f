"""How the audit history names badges, awards, kudos and stories in the reader's language
(starter badge names are stored as English msgids, see badges.py)."""

from __future__ import annotations

from typing import Any

from followthrough.assessments.texts import shown


def _value(memo: dict, model, pk, field: str = "name") -> str | None:
    """One column of a row, looked up once per page."""
    if pk in (None, ""):
        return None
    key = (model._meta.label, field, pk)
    if key not in memo:
        memo[key] = model.objects.filter(pk=pk).values_list(field, flat=True).first()
    return memo[key]


def badge_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    from followthrough.recognition.models import Badge

    if field in ("name", "description") and isinstance(value, str):
        return shown(value)
    if field == "badge":
        name = _value(memo, Badge, value)
        return shown(name) if name else None
    return None


def badge_title(values: dict[str, Any], memo: dict) -> str | None:
    name = values.get("name")
    return shown(name) if isinstance(name, str) else None


def award_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Ruben Rep · Team player'."""
    from followthrough.people.models import Person
    from followthrough.recognition.models import Badge

    person = _value(memo, Person, values.get("person"))
    badge = _value(memo, Badge, values.get("badge"))
    return f"{person} · {shown(badge)}" if person and badge else None


def kudos_title(values: dict[str, Any], memo: dict) -> str | None:
    from followthrough.people.models import Person

    sender = _value(memo, Person, values.get("sender"))
    recipient = _value(memo, Person, values.get("recipient"))
    return f"{sender} → {recipient}" if sender and recipient else None


def story_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Win · Initech renewal', the outcome in the reader's language."""
    from followthrough.crm.models import Deal
    from followthrough.recognition.models import StoryOutcome

    outcome = values.get("outcome")
    if outcome not in StoryOutcome.values:
        return None
    deal = _value(memo, Deal, values.get("deal")) or ""
    return f"{StoryOutcome(outcome).label} · {deal}"
