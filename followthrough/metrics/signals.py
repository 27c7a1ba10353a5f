"""Rollups follow every save and delete of a fact, and a new organisation gets the catalog.

Imports write in bulk and call rollups.track_import instead (see ingest/importer.py).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from followthrough.metrics import rollups
from followthrough.metrics.catalog import seed_catalog
from followthrough.metrics.models import Metric
from followthrough.people.models import Organisation


def _before_fact_save(sender, instance, raw=False, **kwargs):
    instance._rollup_days = set()
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is not None:
        instance._rollup_days = rollups.fact_days(sender, [old])


def _after_fact_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    days = getattr(instance, "_rollup_days", set()) | rollups.fact_days(sender, [instance])
    rollups.refresh(instance.organisation_id, rollups.SOURCE_OF_MODEL[sender], days)


def _after_fact_delete(sender, instance, **kwargs):
    rollups.refresh(
        instance.organisation_id,
        rollups.SOURCE_OF_MODEL[sender],
        rollups.fact_days(sender, [instance]),
    )


def _after_metric_save(sender, instance, raw=False, **kwargs):
    if not raw:
        rollups.forget_metric(instance)


def _after_organisation_save(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_catalog(instance)


def connect() -> None:
    for model in rollups.SOURCE_OF_MODEL:
        uid = f"metrics-{model._meta.label}"
        pre_save.connect(_before_fact_save, sender=model, dispatch_uid=uid)
        post_save.connect(_after_fact_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_after_fact_delete, sender=model, dispatch_uid=uid)
    post_save.connect(_after_metric_save, sender=Metric, dispatch_uid="metrics-metric")
    post_save.connect(_after_organisation_save, sender=Organisation, dispatch_uid="metrics-org")
