"""The import guide shown in the product: each kind's fields, its template and its presets.

Built from kinds.KINDS and the shipped presets, so the page cannot fall behind the importer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from followthrough.ingest import presets
from followthrough.ingest.kinds import KINDS, Field

# The order a first import takes: what others refer to comes first.
ORDER = ("people", "accounts", "products", "deals", "activities", "leads", "deal-history")

TYPE_LABELS = {
    "text": _("text"),
    "int": _("whole number"),
    "decimal": _("number"),
    "date": _("date (2026-01-31)"),
    "datetime": _("date and time (2026-01-31 14:05)"),
    "bool": _("yes or no"),
    "choice": _("one of"),
    "ref": _("reference"),
}
REF_LABELS = {
    "person": _("a person: external id, e-mail or name"),
    "team": _("a team: name or external id"),
    "account": _("an account's external id"),
    "product": _("a product's external id"),
    "deal": _("a deal's external id"),
}


@dataclass(frozen=True)
class GuideField:
    name: str
    required: bool
    type_label: Promise
    detail: str | Promise


@dataclass(frozen=True)
class GuideKind:
    name: str
    fields: list[GuideField]
    template_preset: str
    presets: list[str]


def _detail(spec: Field) -> str | Promise:
    if spec.type == "choice" and spec.choices is not None:
        return ", ".join(spec.choices.values)
    if spec.type == "ref":
        return REF_LABELS.get(spec.ref, spec.ref)
    return ""


def kinds() -> list[GuideKind]:
    grouped = presets.by_kind()
    found = []
    for name in ORDER:
        kind = KINDS[name]
        fields = [
            GuideField(f.name, f.required, TYPE_LABELS.get(f.type, f.type), _detail(f))
            for f in kind.fields
        ]
        template = presets.template_preset(name)
        others = [p for p in grouped.get(name, []) if p != template]
        found.append(GuideKind(name, fields, template, others))
    return found
