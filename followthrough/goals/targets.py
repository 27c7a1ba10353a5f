"""Targets for many people, teams, metrics and periods, from one query.

load_targets reads every goal that could apply; TargetBook then answers
"what is the target for this person (or team), metric and period" in memory,
with ramps for new hires and team targets rolled up from members when the
team has none of its own. Callers pass, per metric, whether it adds up over
time (counts and sums do; rates and averages do not): only those are
prorated, ramped and rolled up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from followthrough.goals.models import Goal, GoalSettings, RampChoice
from followthrough.goals.spans import Span, target_for
from followthrough.lib.periods import Period
from followthrough.people.models import Organisation, Person


def settings_for(org: Organisation) -> GoalSettings:
    """The organisation's goal settings; the defaults (unsaved) when none were set."""
    found = GoalSettings.objects.filter(organisation=org).first()
    return found or GoalSettings(organisation=org)


@dataclass(frozen=True)
class TeamTarget:
    """A team's target, and whether it was summed from its members' targets."""

    value: Decimal | None
    rolled_up: bool = False


class TargetBook:
    """The goals loaded for a page, answering target questions without further queries."""

    def __init__(self, goals: Iterable[Goal], org_shares: Collection[int]) -> None:
        self._person: dict[tuple[int, str], list[Span]] = defaultdict(list)
        self._team: dict[tuple[int, str], list[Span]] = defaultdict(list)
        org_shares = tuple(org_shares)
        for goal in goals:
            if goal.ramp == RampChoice.CUSTOM:
                shares = tuple(goal.ramp_shares)
            elif goal.ramp == RampChoice.NONE:
                shares = ()
            else:
                shares = org_shares
            span = Span(goal.start, goal.end, goal.period_kind, goal.target, shares)
            if goal.person_id:
                self._person[(goal.person_id, goal.metric_key)].append(span)
            else:
                self._team[(goal.team_id, goal.metric_key)].append(span)

    def person_target(
        self, person: Person, key: str, period: Period, *, additive: bool = True
    ) -> Decimal | None:
        spans = self._person.get((person.pk, key), ())
        return target_for(spans, period, additive=additive, role_since=person.role_since)

    def has_person_goal(self, person_id: int, key: str) -> bool:
        return bool(self._person.get((person_id, key)))

    def team_target(
        self,
        team_id: int,
        key: str,
        period: Period,
        members: Iterable[Person],
        *,
        additive: bool = True,
    ) -> TeamTarget:
        """The team's own target, else (for figures that add up) the sum of its members'."""
        own = target_for(self._team.get((team_id, key), ()), period, additive=additive)
        if own is not None or not additive:
            return TeamTarget(own)
        parts = [self.person_target(m, key, period) for m in members]
        parts = [p for p in parts if p is not None]
        if not parts:
            return TeamTarget(None)
        return TeamTarget(sum(parts, start=Decimal(0)), rolled_up=True)

    def keys_with_goals(self, person_id: int) -> set[str]:
        return {key for (pid, key), spans in self._person.items() if pid == person_id and spans}


def load_targets(
    org: Organisation,
    keys: Collection[str] | None,
    start: dt.date,
    end: dt.date,
    *,
    person_ids: Collection[int] = (),
    team_ids: Collection[int] = (),
    org_shares: Collection[int] | None = None,
) -> TargetBook:
    """Every goal of these people and teams (and metrics) overlapping start..end: one query."""
    goals = Goal.objects.filter(organisation=org, start__lte=end, end__gte=start)
    if keys is not None:
        goals = goals.filter(metric_key__in=list(keys))
    goals = goals.filter(Q(person_id__in=list(person_ids)) | Q(team_id__in=list(team_ids)))
    if org_shares is None:
        org_shares = settings_for(org).ramp_shares
    fields = ("person_id", "team_id", "metric_key", "start", "end", "period_kind", "target")
    return TargetBook(goals.only(*fields, "ramp", "ramp_shares"), org_shares)
