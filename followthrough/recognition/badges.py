"""The badges every organisation starts with, and awarding a badge (by rule, person or contest).

`award` is the one door for other apps (motivation's contests and team quests call it):
it records once per (badge, person, occasion), so calling it again awards nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person
from followthrough.recognition.models import Badge, BadgeAward, Rule


@dataclass(frozen=True)
class Starter:
    code: str
    name: str
    description: str
    rule: str
    symbol: str


STARTERS = (
    Starter(
        "first-deal",
        gettext_noop("First deal"),
        gettext_noop("Won a first deal."),
        Rule.FIRST_DEAL,
        "★",
    ),
    Starter(
        "record-month",
        gettext_noop("Record month"),
        gettext_noop("More deals or revenue won in a month than in any month before."),
        Rule.RECORD_MONTH,
        "♛",
    ),
    Starter(
        "on-pace-streak",
        gettext_noop("On a roll"),
        gettext_noop("Met the weekly pace on every goal, week after week."),
        Rule.STREAK,
        "⚡",
    ),
    Starter(
        "certified",
        gettext_noop("Certified"),
        gettext_noop("Passed a certification."),
        Rule.CERTIFIED,
        "✔",
    ),
    Starter(
        "most-improved",
        gettext_noop("Most improved"),
        gettext_noop("The biggest step up in the team over one's own baseline."),
        Rule.MOST_IMPROVED,
        "▲",
    ),
    Starter(
        "team-player",
        gettext_noop("Team player"),
        gettext_noop("Helped a colleague win."),
        "",
        "✦",
    ),
    Starter(
        "customer-hero",
        gettext_noop("Customer hero"),
        gettext_noop("Went the extra mile for a customer."),
        "",
        "♥",
    ),
    Starter(
        "contest-winner",
        gettext_noop("Contest winner"),
        gettext_noop("Won a contest or met a team quest."),
        Rule.CONTEST,
        "✪",
    ),
)


def ensure_badges(org: Organisation) -> dict[str, Badge]:
    """The organisation's badges by code, creating the starter ones first (two queries)."""
    Badge.objects.bulk_create(
        [
            Badge(
                organisation=org,
                code=s.code,
                name=s.name,
                description=s.description,
                rule=s.rule,
                symbol=s.symbol,
                starter=True,
            )
            for s in STARTERS
        ],
        ignore_conflicts=True,
    )
    return {b.code: b for b in Badge.objects.filter(organisation=org)}


def badge_for_rule(badges: dict[str, Badge], rule: str) -> Badge | None:
    return next((b for b in badges.values() if b.rule == rule and b.is_active), None)


class AwardRefused(ValueError):
    """An award that must not be made; the message says why, for people."""


def award(
    person: Person,
    badge_code: str,
    reason: str,
    source: str,
    *,
    occasion: str | None = None,
    evidence: dict | None = None,
    granted_by: Person | None = None,
    on: dt.date | None = None,
) -> BadgeAward | None:
    """Award `badge_code` to `person` once per occasion; None when it was awarded before.

    For other apps: `source` names what earned it ("contest:12", "quest:3"), and
    `occasion` defaults to the source, so a contest's winner is awarded once per contest.
    """
    from django.utils.translation import gettext as _

    if granted_by is not None and granted_by.pk == person.pk:
        raise AwardRefused(_("Nobody awards a badge to themselves."))
    if granted_by is not None and granted_by.organisation_id != person.organisation_id:
        raise AwardRefused(_("You can only award badges in your own organisation."))
    badge = ensure_badges(person.organisation).get(badge_code)
    if badge is None or not badge.is_active:
        raise AwardRefused(_("There is no such badge."))
    row = BadgeAward(
        organisation_id=person.organisation_id,
        person=person,
        badge=badge,
        occasion=(occasion or source)[:100],
        awarded_on=on or today_for(person.organisation),
        reason=reason[:500],
        granted_by=granted_by,
        source=source[:100],
        evidence=evidence or {},
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None
    return row


def award_all(
    org: Organisation,
    badge_code: str,
    people: dict[int, dict],
    source: str,
    *,
    on: dt.date,
) -> int:
    """Award `badge_code` to many people at once (person id -> evidence); how many were new.

    For contests and team quests: three queries however many winners, and, like
    `award`, once per (badge, person, occasion), the occasion being the source.
    """
    badge = ensure_badges(org).get(badge_code)
    if badge is None or not badge.is_active or not people:
        return 0
    occasion = source[:100]
    done = set(
        BadgeAward.objects.filter(
            badge=badge, occasion=occasion, person_id__in=list(people)
        ).values_list("person_id", flat=True)
    )
    rows = [
        BadgeAward(
            organisation_id=org.pk,
            person_id=pid,
            badge=badge,
            occasion=occasion,
            awarded_on=on,
            reason=badge.description,
            source=occasion,
            evidence=evidence,
        )
        for pid, evidence in people.items()
        if pid not in done
    ]
    BadgeAward.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def grant(granter: Person, person: Person, badge: Badge, reason: str) -> BadgeAward:
    """A manager, leader or admin grants `badge` to `person` with a reason (audited)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from followthrough.recognition import rights

    if granter.pk == person.pk:
        raise AwardRefused(_("Nobody awards a badge to themselves."))
    if not rights.can_grant_badge(granter, person):
        raise AwardRefused(_("Only someone above this person may grant them a badge."))
    if badge.organisation_id != person.organisation_id or not badge.is_active:
        raise AwardRefused(_("There is no such badge."))
    if badge.rule:
        raise AwardRefused(_("This badge is earned by its rule, not granted."))
    reason = (reason or "").strip()
    if not reason:
        raise AwardRefused(_("Say why this badge is granted."))
    if len(reason) > 500:
        raise AwardRefused(_("Keep the reason under %(n)d characters.") % {"n": 500})
    stamp = timezone.now().isoformat()
    found = award(
        person,
        badge.code,
        reason,
        f"person:{granter.pk}",
        occasion=f"granted:{granter.pk}:{stamp}",
        granted_by=granter,
    )
    if found is None:  # the same granter twice in the same microsecond
        raise AwardRefused(_("This badge was just granted."))
    return found
