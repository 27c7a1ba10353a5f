"""Background jobs of programs: record the metric milestones reached, daily."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from followthrough.people.models import Organisation
from followthrough.programs.models import Enrolment
from followthrough.programs.progress import sync_metric_milestones


@db_periodic_task(crontab(hour="3", minute="37"))
def record_metric_milestones() -> None:
    """Pages record what they show; this catches everyone nobody looked at."""
    for org in Organisation.objects.filter(pk__in=Enrolment.objects.values("organisation_id")):
        sync_metric_milestones(org)
