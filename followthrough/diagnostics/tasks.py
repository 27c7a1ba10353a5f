"""Background jobs of the early warnings: a run asked for in the page, and the nightly run."""

from __future__ import annotations

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from followthrough.diagnostics.models import Run, RunStatus
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation


def queue(run: Run) -> None:
    transaction.on_commit(lambda: run_diagnosis(run.pk))


@db_task()
def run_diagnosis(run_id: int) -> None:
    from followthrough.diagnostics.diagnose import perform

    run = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is not None:  # already done by another worker, or gone with its organisation
        perform(run)


@db_periodic_task(crontab(hour="4", minute="13"))
def nightly() -> None:
    """Every organisation's run for today (one a day: a second call adds nothing)."""
    from followthrough.diagnostics.diagnose import abandon_stalled, run_now

    for org in Organisation.objects.all():
        abandon_stalled(org)
        if not Run.objects.filter(
            organisation=org, day=today_for(org), status=RunStatus.DONE
        ).exists():
            run_now(org)
