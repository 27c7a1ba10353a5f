"""The demo's wallboard: one link to this week's contest, made by the manager who runs it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from followthrough.audit.context import acting_as
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.motivation.models import Contest, ContestStatus
from followthrough.people.models import Organisation
from followthrough.wallboard.models import Shows, WallboardLink
from followthrough.wallboard.sharing import create_link

DEMO_NAME = "Sales floor TV"


def seed(org: Organisation, today: dt.date) -> WallboardLink | None:
    week = period_of(PeriodKind.WEEK, today)
    contest = (
        Contest.objects.filter(organisation=org, status=ContestStatus.OPEN, start=week.start)
        .select_related("created_by__user")
        .order_by("pk")
        .first()
    )
    if contest is None or contest.created_by is None:
        return None
    with acting_as(user=contest.created_by.user):
        return create_link(contest.created_by, name=DEMO_NAME, shows=Shows.CONTEST, contest=contest)


def demo_url(org: Organisation | None) -> str | None:
    """The demo TV's address (the token is kept readable, so it is printed on every run)."""
    if org is None:
        return None
    link = (
        WallboardLink.objects.filter(organisation=org, name=DEMO_NAME, revoked_at__isnull=True)
        .order_by("pk")
        .first()
    )
    return settings.SITE_URL + reverse("wall", args=[link.token]) if link else None
