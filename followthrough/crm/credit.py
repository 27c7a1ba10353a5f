"""Shared credit: the co-owner's share of a deal, from the owner's team credit rule.

A deal's share is resolved here and stored on the deal (`co_owner_percent`), so
the metric engine adds shares up in SQL (metrics/reading.py). The rule is the
one of the owner's team on the deal's date (created, else close date), else of
the nearest team above it, else the organisation's default, else 50 %. A deal
without an owner, or whose co-owner is its owner, shares nothing (NULL).

Resolving reads the rules, the teams and the owners' reporting lines once
(three queries) and writes only the deals whose share changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import F, Q, QuerySet

from followthrough.crm.models import CreditRule, Deal
from followthrough.people.models import ReportingLine, Team

DEFAULT_PERCENT = 50


class Rules:
    """The credit rules of one organisation, and who was in which team when."""

    def __init__(self, org_id: int, owner_ids: set[int]):
        self.by_team: dict[int | None, int] = dict(
            CreditRule.objects.filter(organisation_id=org_id).values_list(
                "team_id", "co_owner_percent"
            )
        )
        self.parent_of = dict(
            Team.objects.filter(organisation_id=org_id).values_list("pk", "parent_id")
        )
        self.lines: dict[int, list[tuple]] = defaultdict(list)
        rows = ReportingLine.objects.filter(
            organisation_id=org_id, person_id__in=sorted(owner_ids), team__isnull=False
        ).values_list("person_id", "team_id", "valid_from", "valid_to")
        for person_id, team_id, first, last in rows:
            self.lines[person_id].append((first, last or dt.date.max, team_id))

    def team_of(self, person_id: int, day: dt.date | None) -> int | None:
        lines = self.lines.get(person_id, ())
        if day is not None:
            for first, last, team_id in lines:
                if first <= day <= last:
                    return team_id
        # No date, or a date before their first line: the line in force last.
        return max(lines)[2] if lines else None

    def percent(self, person_id: int, day: dt.date | None) -> int:
        node, seen = self.team_of(person_id, day), set()
        while node is not None and node not in seen:
            seen.add(node)  # bad data with a loop must not hang an import
            if node in self.by_team:
                return self.by_team[node]
            node = self.parent_of.get(node)
        return self.by_team.get(None, DEFAULT_PERCENT)


def resolve_shares(org_id: int, deals: QuerySet[Deal] | None = None) -> int:
    """Store the co-owner's share of the shared deals (of `deals`, else all the organisation's).

    Deals that lost their co-owner lose their share. Returns how many deals changed.
    """
    rows = Deal.objects.filter(organisation_id=org_id) if deals is None else deals
    # Through the partial index of co-owners: a deal whose co-owner was removed keeps a
    # stale share only where nothing reads it (every read asks for a co-owner too).
    cleared = rows.filter(
        Q(owner__isnull=True) | Q(co_owner=F("owner")),
        co_owner__isnull=False,
        co_owner_percent__isnull=False,
    ).update(co_owner_percent=None)
    if deals is not None:
        cleared += rows.filter(co_owner__isnull=True, co_owner_percent__isnull=False).update(
            co_owner_percent=None
        )
    shared = list(
        rows.filter(co_owner__isnull=False, owner__isnull=False)
        .exclude(co_owner=F("owner"))
        .only("pk", "owner_id", "created_on", "close_on", "co_owner_percent")
    )
    if not shared:
        return cleared
    rules = Rules(org_id, {deal.owner_id for deal in shared})
    changed = []
    for deal in shared:
        percent = rules.percent(deal.owner_id, deal.created_on or deal.close_on)
        if deal.co_owner_percent != percent:
            deal.co_owner_percent = percent
            changed.append(deal)
    Deal.objects.bulk_update(changed, ["co_owner_percent"], batch_size=500)
    return cleared + len(changed)


def set_rule(org_id: int, team_id: int | None, percent: int) -> CreditRule:
    """Set a team's (or the organisation's) rule and re-resolve the shares it may change.

    Admins set rules in the admin site (crm/admin.py), which does the same.
    """
    if not 0 <= percent <= 100:
        raise ValueError("a co-owner's share is a percent from 0 to 100")
    rule, _ = CreditRule.objects.update_or_create(
        organisation_id=org_id, team_id=team_id, defaults={"co_owner_percent": percent}
    )
    resolve_shares(org_id)
    return rule
