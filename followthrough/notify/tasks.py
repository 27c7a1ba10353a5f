"""The schedule: each organisation's digests on Monday from 07:00 in its time zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from followthrough.people.models import Organisation

SEND_FROM = dt.time(7, 0)


def digest_due(org: Organisation, now: dt.datetime) -> bool:
    local = now.astimezone(zoneinfo.ZoneInfo(org.timezone or "UTC"))
    return local.weekday() == 0 and local.time() >= SEND_FROM


@db_periodic_task(crontab(minute="*/15"))
def tick() -> None:
    """Every quarter hour: organisations whose Monday morning has come get their week's
    digests queued (planning is idempotent, so a second tick or worker adds nothing)."""
    now = timezone.now()
    for org in Organisation.objects.all():
        if digest_due(org, now):
            send_week(org.pk)


# No task lock: the ledger's claims already let two workers run the same week side by
# side without a duplicate, and a lock held by a killed worker would stop every week after.
@db_task(retries=3, retry_delay=60)
def send_week(org_id: int) -> None:
    from followthrough.notify import digests, weekly
    from followthrough.people.lines import today_for

    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        return
    week = digests.week_of(today_for(org))
    weekly.plan_digests(org, week)
    weekly.send_digests(org, week)


def reminders_due(org: Organisation, now: dt.datetime) -> bool:
    """Reminders go out from 07:00 in the organisation's time zone, never at night."""
    local = now.astimezone(zoneinfo.ZoneInfo(org.timezone or "UTC"))
    return local.time() >= SEND_FROM


@db_periodic_task(crontab(minute="*/15"))
def remind() -> None:
    """Every quarter hour of the working day: planning is idempotent, so the day's many
    runs add each reminder once, and a rep who is stuck is heard within the quarter."""
    now = timezone.now()
    for org in Organisation.objects.all():
        if reminders_due(org, now):
            send_reminders(org.pk)


@db_task(retries=3, retry_delay=60)
def send_reminders(org_id: int) -> None:
    from followthrough.notify import reminders
    from followthrough.people.lines import today_for

    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        return
    reminders.plan_reminders(org, today_for(org))
    reminders.send_reminders(org)
