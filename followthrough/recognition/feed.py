"""A team's recognition feed: kudos, badges and shared stories, newest first.

Three queries (one per kind of item) over the team's members today, its sub-teams'
included; items are merged in memory. Who may open which feed: rights.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from followthrough.metrics.totals import team_members
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Team
from followthrough.recognition.models import BadgeAward, Kudos, Story

FEED_LENGTH = 50
KUDOS, BADGE, STORY = "kudos", "badge", "story"


@dataclass(frozen=True)
class FeedItem:
    kind: str
    at: dt.datetime
    item: Any


def _midday(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=tz)


def _award_time(award: BadgeAward, tz) -> dt.datetime:
    """When the award was made if that was on its day; else midday of the day it is for.

    A badge dated today sorts by the moment it was given, not by today's noon: kudos
    sent this morning must not sink below a badge granted at 9."""
    made = award.created_at.astimezone(tz)
    return made if made.date() == award.awarded_on else _midday(award.awarded_on, tz)


def member_ids(team: Team) -> set[int]:
    org = team.organisation
    return team_members(org, today_for(org), [team.pk]).get(team.pk, set())


def team_feed(team: Team, *, limit: int = FEED_LENGTH) -> list[FeedItem]:
    """The latest `limit` items about the team's members."""
    import zoneinfo

    ids = member_ids(team)
    tz = zoneinfo.ZoneInfo(team.organisation.timezone)
    org_id = team.organisation_id
    kudos = (
        Kudos.objects.filter(organisation_id=org_id)
        .filter(Q(recipient_id__in=ids) | Q(sender_id__in=ids))
        .select_related("sender", "recipient", "deal", "competency")[:limit]
    )
    awards = (
        BadgeAward.objects.filter(organisation_id=org_id, person_id__in=ids)
        .select_related("person", "badge", "granted_by")
        .order_by("-awarded_on", "-pk")[:limit]
    )
    stories = (
        Story.objects.filter(organisation_id=org_id, shared=True)
        .filter(Q(deal__owner_id__in=ids) | Q(author_id__in=ids))
        .select_related("author", "deal", "deal__owner", "product")[:limit]
    )
    items = [FeedItem(KUDOS, k.created_at, k) for k in kudos]
    items += [FeedItem(BADGE, _award_time(a, tz), a) for a in awards]
    items += [FeedItem(STORY, s.created_at, s) for s in stories]
    items.sort(key=lambda i: i.at, reverse=True)
    return items[:limit]


def badges_of(person: Person) -> list[BadgeAward]:
    return list(
        BadgeAward.objects.filter(person=person)
        .select_related("badge", "granted_by")
        .order_by("-awarded_on", "-pk")
    )


def kudos_received(person: Person, limit: int = FEED_LENGTH) -> list[Kudos]:
    return list(
        Kudos.objects.filter(recipient=person).select_related("sender", "deal", "competency")[
            :limit
        ]
    )
