"""Audit entries as people read them: field labels, choice labels, names instead of ids."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from followthrough.audit.context import SYSTEM
from followthrough.audit.models import AuditEntry


@dataclass
class ChangeLine:
    label: str
    before: object
    after: object


def _value(field: models.Field | None, raw, names: dict) -> object:
    if raw is None or raw == "":
        return None
    if field is None:
        return raw
    if field.is_relation:
        return names.get((field.related_model, raw), f"#{raw}")
    if field.choices:
        return dict(field.flatchoices).get(raw, raw)
    if isinstance(field, models.BooleanField):
        return _("yes") if raw else _("no")
    if isinstance(field, models.DateTimeField):
        return dt.datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else raw
    return raw


def describe(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Attach `lines` (ChangeLine list) to each entry; one query per referenced model."""
    entries = list(entries)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        for name, (before, after) in entry.changes.items():
            field = _field(model, name)
            if field is not None and field.is_relation:
                wanted[field.related_model].update(
                    v for v in (before, after) if v not in (None, "")
                )
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    for entry in entries:
        model = entry.content_type.model_class()
        entry.actor_label = _("system") if entry.actor_name == SYSTEM.name else entry.actor_name
        entry.lines = []
        for name, (before, after) in sorted(entry.changes.items()):
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            entry.lines.append(
                ChangeLine(label, _value(field, before, names), _value(field, after, names))
            )
    return entries


def _field(model, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
