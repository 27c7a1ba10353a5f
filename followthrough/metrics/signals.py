"""Rollups follow every save and delete of a fact, and a new organisation gets the catalog.

Imports write in bulk and use rollups.ImportTracker instead (see ingest/importer.py).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from followthrough.crm.models import Deal
from followthrough.metrics import rollups
from followthrough.metrics.catalog import forget_catalog, seed_catalog
from followthrough.metrics.choices import Source
from followthrough.metrics.models import Metric
from followthrough.people.models import Organisation


def _before_fact_save(sender, instance, raw=False, **kwargs):
    instance._rollup_cells = {}
    instance._rollup_old_deal = None
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is not None:
        instance._rollup_cells = rollups.fact_cells(sender, [old])
        instance._rollup_old_deal = old


def _after_fact_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    cells = rollups.merge_cells(
        getattr(instance, "_rollup_cells", {}), rollups.fact_cells(sender, [instance])
    )
    rollups.refresh(instance.organisation_id, rollups.SOURCE_OF_MODEL[sender], cells)
    old = getattr(instance, "_rollup_old_deal", None)
    if (
        sender is Deal
        and old is not None
        and (old.owner_id, old.amount)
        != (
            instance.owner_id,
            instance.amount,
        )
    ):
        # A stage change counts for its deal's owner and amount: follow either.
        rollups.refresh(
            instance.organisation_id,
            Source.STAGE_CHANGES,
            rollups.stage_change_cells([instance.pk], [old.owner_id, instance.owner_id]),
        )


def _after_fact_delete(sender, instance, **kwargs):
    rollups.refresh(
        instance.organisation_id,
        rollups.SOURCE_OF_MODEL[sender],
        rollups.fact_cells(sender, [instance]),
    )


def _after_metric_save(sender, instance, raw=False, **kwargs):
    forget_catalog(instance.organisation_id)
    if not raw:
        rollups.forget_metric(instance)


def _after_metric_delete(sender, instance, **kwargs):
    forget_catalog(instance.organisation_id)


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
    post_delete.connect(_after_metric_delete, sender=Metric, dispatch_uid="metrics-metric")
    post_save.connect(_after_organisation_save, sender=Organisation, dispatch_uid="metrics-org")
