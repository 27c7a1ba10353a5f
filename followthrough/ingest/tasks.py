"""Background jobs of the import: run an uploaded file; clear abandoned uploads and runs."""

from __future__ import annotations

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from followthrough.ingest import uploads
from followthrough.ingest.models import ImportRun


def queue(run: ImportRun) -> None:
    """Hand a queued run to a worker once the transaction that made it is committed."""
    transaction.on_commit(lambda: run_import(run.pk))


@db_task()
def run_import(run_id: int) -> None:
    uploads.perform(run_id)


@db_periodic_task(crontab(minute="23"))
def tidy_imports() -> None:
    uploads.abandon_stalled_runs()
    uploads.purge_stale_uploads()
