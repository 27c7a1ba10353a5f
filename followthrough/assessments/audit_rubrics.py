"""How rubrics and scorecard templates read in the audit history, in the reader's language.

Starter texts are stored as catalogue msgids (see texts.shown): the history shows them
translated, as the pages do; text an organisation wrote itself shows as written.
"""

from __future__ import annotations

from typing import Any

from followthrough.assessments.texts import shown

TEXT_FIELDS = ("name", "description")


def _levels(value) -> str | None:
    if not isinstance(value, list):
        return None
    return " · ".join(
        f"{level.get('key', '')}: {shown(str(level.get('label', '')))}"
        for level in value
        if isinstance(level, dict)
    )


def _behaviours(value) -> str | None:
    if not isinstance(value, dict):
        return None
    return " · ".join(f"{key}: {shown(str(text))}" for key, text in value.items() if text)


def _competencies(value) -> str | None:
    if not isinstance(value, list):
        return None
    return ", ".join(shown(str(c.get("name", ""))) for c in value if isinstance(c, dict))


def _kpis(value) -> str | None:
    if not isinstance(value, list):
        return None
    return ", ".join(
        f"{k.get('metric', '')}: {k.get('weight') or '–'}" for k in value if isinstance(k, dict)
    )


def _related(memo: dict, field: str, pk) -> str | None:
    from followthrough.assessments.models import Rubric, RubricSection

    model = {"section": RubricSection, "rubric": Rubric}[field]
    name = memo.get("names", {}).get((model, pk))
    return shown(str(name)) if name else None


def rubric_display(field: str, value: Any, values: dict, memo: dict) -> str | None:
    if field in ("section", "rubric") and value:
        return _related(memo, field, value)
    if field == "kpis":
        return _kpis(value)
    if field in TEXT_FIELDS and isinstance(value, str):
        return shown(value)
    if field == "levels":
        return _levels(value)
    if field == "behaviours":
        return _behaviours(value)
    if field == "competencies":
        return _competencies(value)
    return None


def named_title(values: dict[str, Any], memo: dict) -> str | None:
    name = values.get("name")
    return shown(name) if isinstance(name, str) and name else None
