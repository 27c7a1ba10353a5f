"""The nightly job: badges earned by rule, for every organisation (idempotent)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from followthrough.people.models import Organisation


@db_periodic_task(crontab(hour="4", minute="41"))
def nightly_badges() -> None:
    """Award yesterday's rule badges; a second run the same day awards nothing more."""
    from followthrough.recognition.rules import award_rule_badges

    for org in Organisation.objects.all():
        award_rule_badges(org)
