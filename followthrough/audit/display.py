"""Audit entries as people read them: field labels, choice labels, names instead of ids.

Values are shown as the pages show them: numbers in the reader's format without
trailing zeros, dates localized (by the template), lists as "a, b, c", nothing as
"—" (None here), related objects by name. A model registered with a display hook
(audit.registry.register) formats its own fields first, e.g. a goal's target in
its metric's unit. Bookkeeping timestamps are never listed as changes.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from followthrough.audit.context import SYSTEM
from followthrough.audit.models import AuditEntry
from followthrough.audit.registry import display_of, is_bookkeeping, snapshot, title_of

# Timestamps recorded before they were excluded from auditing, still in old entries; and the
# organisation, which every entry is already scoped to and which never changes.
_HIDDEN_NAMES = frozenset({"created_at", "updated_at", "imported_at", "organisation"})
# Labels Django derives from field names, unmarked in the models: translated here.
_DERIVED_LABELS = (gettext_noop("user"), gettext_noop("person"))


@dataclass
class ChangeLine:
    label: str
    before: object
    after: object


def number_text(raw) -> str:
    """12 -> '12', '50000.0000' -> '50,000', '0.3000' -> '0.3', in the reader's format."""
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return str(raw)
    if not value.is_finite():
        return str(raw)
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value, use_l10n=True, force_grouping=True)


def revive(field: models.Field | None, raw):
    """Lists and dicts that older entries stored as their Python repr ("[25, 50]"), as values."""
    if isinstance(field, models.JSONField) and isinstance(raw, str) and raw[:1] in "[{":
        try:
            return ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw
    return raw


def _plain_value(field: models.Field | None, raw, names: dict) -> object:
    raw = revive(field, raw)
    if raw is None or raw == "" or raw == [] or raw == {}:
        return None
    if isinstance(raw, list):
        return ", ".join(str(_plain_value(None, item, names) or "—") for item in raw)
    if isinstance(raw, dict):
        return "; ".join(
            f"{key}: {_plain_value(None, value, names) or '—'}" for key, value in raw.items()
        )
    if field is None:
        return raw if isinstance(raw, str | int) else str(raw)
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
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField):
        return number_text(raw)
    return raw


def is_hidden(field: models.Field | None, name: str) -> bool:
    """Bookkeeping and context, never listed as a change."""
    return name in _HIDDEN_NAMES or (field is not None and is_bookkeeping(field))


def label_of(field: models.Field | None, name: str) -> str:
    """The field's label in the reader's language (derived labels through the catalogue too)."""
    if field is None:
        return _(name.replace("_", " "))
    label = field.verbose_name
    return str(label) if isinstance(label, Promise) else _(str(label))


def describe(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Attach `title` and `lines` (ChangeLine list) to each entry.

    A constant number of queries: one per referenced model and one per model with a
    display hook, however many entries.
    """
    entries = list(entries)
    wanted: dict[type[models.Model], set] = defaultdict(set)
    objects_wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = entry.content_type.model_class()
        if display_of(model) is not None or title_of(model) is not None:
            objects_wanted[model].add(entry.object_id)
        for name, (before, after) in entry.changes.items():
            field = _field(model, name)
            if field is not None and field.is_relation:
                wanted[field.related_model].update(
                    v for v in (before, after) if v not in (None, "")
                )
    # The current values of objects with a display hook: a change of a goal's target
    # alone still needs the goal's metric to show the target in its unit.
    current = {}
    for model, ids in objects_wanted.items():
        for obj in model._default_manager.filter(pk__in=[i for i in ids if i.isdigit()]):
            current[(model, str(obj.pk))] = values = snapshot(obj)
            for name, value in values.items():
                field = _field(model, name)
                if field is not None and field.is_relation and value not in (None, ""):
                    wanted[field.related_model].add(value)
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    # Shared with the hooks: the names of every related object above, looked up once.
    memo: dict = {"names": names}
    for entry in entries:
        model = entry.content_type.model_class()
        display, title = display_of(model), title_of(model)
        known = current.get((model, entry.object_id), {})
        entry.actor_label = _("system") if entry.actor_name == SYSTEM.name else entry.actor_name
        named_side = 0 if entry.action == "delete" else 1
        entry.title = (
            title and title(_values_at(entry, named_side, known), memo)
        ) or entry.object_repr
        entry.lines = []
        for name, (before, after) in sorted(entry.changes.items(), key=_in_field_order(model)):
            field = _field(model, name)
            if is_hidden(field, name):
                continue
            label = label_of(field, name)
            shown = []
            for raw, side in ((revive(field, before), 0), (revive(field, after), 1)):
                text = None
                if display is not None and raw not in (None, ""):
                    values = _values_at(entry, side, known)
                    text = display(name, raw, values, memo)
                shown.append(text if text is not None else _plain_value(field, raw, names))
            if shown != [None, None]:
                entry.lines.append(ChangeLine(label, *shown))
    return entries


def _in_field_order(model):
    """Lines in the order the form shows the fields, not alphabetically by internal name."""
    order = {f.name: i for i, f in enumerate(model._meta.fields)} if model is not None else {}
    return lambda item: (order.get(item[0], len(order)), item[0])


def _values_at(entry: AuditEntry, side: int, current: dict) -> dict:
    """The object's values as they were on one side of the change, as far as known."""
    values = dict(current)
    values["organisation"] = entry.organisation_id
    for name, pair in entry.changes.items():
        value = pair[side] if pair[side] is not None else pair[1 - side]
        if value is not None:
            values[name] = value
    return values


def _field(model, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
