"""Background jobs of the contests: the nightly close of the contests that have ended."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from followthrough.people.models import Organisation


@db_periodic_task(crontab(hour="4", minute="41"))
def close_ended_contests() -> None:
    """Freeze the results of every organisation's contests past their last day and grace."""
    from followthrough.audit.context import acting_as
    from followthrough.motivation.closing import close_finished

    with acting_as(name="nightly job"):
        for org in Organisation.objects.all():
            close_finished(org)
