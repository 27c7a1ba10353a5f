"""Record create, update and delete of registered models in the audit history.

Registered models are watched through signals, so a change is recorded
whichever way it is made: a form, the admin, the API, the CLI or a job.
Bulk operations bypass signals; facts imported in bulk are not audited.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from followthrough.audit.context import current_actor

_fields: dict[type[models.Model], list[str]] = {}
# For models without an organisation_id of their own (a login): how to find it.
_organisation_of: dict[type[models.Model], Callable[[models.Model], int | None]] = {}
# How a model shows its values in the history: (field name, stored value, the object's
# values, a memo shared by one page) -> text, or None for the default display.
Display = Callable[[str, Any, dict[str, Any], dict], "str | None"]
_displays: dict[type[models.Model], Display] = {}
# What an entry is about, in the reader's language: (the object's values, memo) -> text.
Title = Callable[[dict[str, Any], dict], "str | None"]
_titles: dict[type[models.Model], Title] = {}


def is_bookkeeping(field: models.Field) -> bool:
    """Timestamps kept by the database (created_at, updated_at): never a change a person made."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | dt.time | decimal.Decimal):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    # JSON fields (ramps, lists of metric keys, filters) stay lists and dicts, not their repr.
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited field values of `instance`, as JSON-ready values."""
    data = {}
    for name in _fields[type(instance)]:
        field = instance._meta.get_field(name)
        data[name] = _plain(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in after.keys() | before.keys()
        if before.get(name) != after.get(name)
    }


def _record(instance: models.Model, action: str, changes: dict[str, list[Any]]) -> None:
    from followthrough.audit.models import AuditEntry

    actor = current_actor()
    user = actor.user if actor.user is not None and actor.user.pk else None
    org_id = getattr(instance, "organisation_id", None)
    if org_id is None and type(instance) in _organisation_of:
        org_id = _organisation_of[type(instance)](instance)
    if org_id is None and instance._meta.model_name == "organisation":
        org_id = instance.pk
    AuditEntry.objects.create(
        organisation_id=org_id,
        actor=user,
        actor_name=actor.name,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {name: [None, value] for name, value in after.items() if value not in (None, "")}
        _record(instance, "create", changes)
        return
    changes = diff(before, after)
    if changes:
        _record(instance, "update", changes)


def _post_delete(sender, instance, **kwargs):
    before = snapshot(instance)
    _record(instance, "delete", {name: [value, None] for name, value in before.items()})


def register(
    model: type[models.Model],
    exclude: tuple[str, ...] = (),
    organisation: Callable[[models.Model], int | None] | None = None,
    display: Display | None = None,
    title: Title | None = None,
) -> None:
    """Audit every change to `model`'s concrete fields except `exclude` and bookkeeping.

    `organisation` finds the organisation of an instance that has no organisation_id.
    `display` formats the model's values for people (a goal's target in its metric's
    unit, say); without it values are shown by field type (audit.display). `title` names
    the object in the reader's language; without it, as it was named when it changed.
    """
    if organisation is not None:
        _organisation_of[model] = organisation
    _fields[model] = [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in exclude and not is_bookkeeping(f)
    ]
    if display is not None:
        _displays[model] = display
    if title is not None:
        _titles[model] = title
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)


def is_audited(model: type[models.Model]) -> bool:
    return model in _fields


def audited_fields(model: type[models.Model]) -> list[str]:
    return list(_fields.get(model, ()))


def display_of(model: type[models.Model] | None) -> Display | None:
    return _displays.get(model)


def title_of(model: type[models.Model] | None) -> Title | None:
    return _titles.get(model)


def history_for(instance: models.Model, related: models.QuerySet | None = None):
    """Audit entries of `instance`, and of the `related` objects if given, newest first."""
    from django.db.models import Q

    from followthrough.audit.models import AuditEntry

    ct = ContentType.objects.get_for_model
    query = Q(content_type=ct(type(instance)), object_id=str(instance.pk))
    if related is not None:
        ids = [str(pk) for pk in related.values_list("pk", flat=True)]
        query |= Q(content_type=ct(related.model), object_id__in=ids)
    return AuditEntry.objects.filter(query)
