"""The team rule "every open deal reviewed within N days", checked by the product.

A deal is due for review N days after its last held review, or after it was created
when it has had none. One query for the team's members, one for their open deals
with the day of each deal's last held review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q

from followthrough.coaching.cadence import local_day
from followthrough.coaching.models import MeetingKind, MeetingStatus
from followthrough.coaching.questions import settings_of
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Team


@dataclass(frozen=True)
class ReviewDue:
    """An open deal past the team's review promise."""

    deal: Deal
    last_reviewed: dt.date | None
    due_on: dt.date


@dataclass(frozen=True)
class ReviewCheck:
    """The team's promise and the open deals it is not kept for."""

    team: Team
    days: int | None
    today: dt.date
    open_deals: int
    overdue: list[ReviewDue]

    @property
    def kept(self) -> int:
        return self.open_deals - len(self.overdue)


def check_reviews(team: Team, today: dt.date | None = None) -> ReviewCheck:
    """The team's open deals not reviewed within its promise (empty when it made none)."""
    org = team.organisation
    today = today or today_for(org)
    days = settings_of(team).deal_review_days
    members = lines_on(org, today).filter(team=team).values("person_id")
    deals = (
        Deal.objects.filter(organisation=org, outcome=Outcome.OPEN, owner_id__in=members)
        .select_related("owner")
        .annotate(
            last_review=Max(
                "reviews__scheduled_at",
                filter=Q(reviews__kind=MeetingKind.DEAL_REVIEW, reviews__status=MeetingStatus.HELD),
            )
        )
        .order_by("owner__name", "close_on", "pk")
    )
    deals = list(deals)
    overdue = []
    if days:
        for deal in deals:
            last = local_day(org, deal.last_review) if deal.last_review else None
            start = last or deal.created_on or today
            due = start + dt.timedelta(days=days)
            if due < today:
                overdue.append(ReviewDue(deal, last, due))
    overdue.sort(key=lambda r: (r.due_on, r.deal.pk))
    return ReviewCheck(team, days, today, len(deals), overdue)
