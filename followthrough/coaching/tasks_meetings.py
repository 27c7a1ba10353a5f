"""Background jobs of the 1:1s: keep every pair's schedule eight weeks ahead, daily."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from followthrough.coaching.cadence import keep_schedules


@db_periodic_task(crontab(hour="3", minute="7"))
def schedule_one_on_ones() -> None:
    keep_schedules()
