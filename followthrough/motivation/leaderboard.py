"""Fair leaderboards: who leads, without shaming who trails.

People are ranked by one of three measures:
- absolute: the figure itself;
- % of own target (the default): figure / one's own target for the period, so a
  new hire on a ramped target competes on equal terms with a veteran;
- improvement: figure minus one's own baseline, the same figure over the
  equal-length period just before.
A board can be limited to a team (with its sub-teams) and to a tier: new hires still
on their ramp (their month in role is within the organisation's ramp), or reps past
it, so newcomers can compete among themselves. Everyone sees the top N; below that, each person sees only their own position.
Equal measures share a rank and the next rank skips (1, 2, 2, 4). People without
a target (or without a baseline figure) are not ranked on that measure.
One engine computation and one target query for the whole board.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from followthrough.goals.attainment import attainment
from followthrough.goals.ramp import tenure_month
from followthrough.goals.targets import load_targets, settings_for
from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.motivation.eligibility import eligible_people
from followthrough.motivation.figures import competition_ranks, is_additive
from followthrough.people.models import Organisation, Person, Role

DEFAULT_TOP_N = 5
MAX_TOP_N = 25


class RankBy(StrEnum):
    ABSOLUTE = "absolute"
    TARGET = "target"
    IMPROVEMENT = "improvement"


class Tier(StrEnum):
    ALL = "all"
    NEW = "new"  # still on the ramp
    RAMPED = "ramped"


def in_tier(tier: Tier, role_since: dt.date | None, day: dt.date, ramp_months: int) -> bool:
    """Whether a rep who started in their role on `role_since` is in `tier` on `day`."""
    if tier == Tier.ALL:
        return True
    new = role_since is not None and 1 <= tenure_month(role_since, day) <= ramp_months
    return new == (tier == Tier.NEW)


@dataclass(frozen=True)
class Row:
    """One person on a leaderboard."""

    person_id: int
    name: str
    team: str
    value: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    baseline: Decimal | None
    improvement: Decimal | None
    rank: int | None
    shared: int = 0  # deals behind the figure that count only a share (pair selling)


@dataclass(frozen=True)
class Board:
    """A leaderboard: every row ranked, and what may be shown to whom."""

    metric: object
    period: Period
    baseline_period: Period
    rank_by: RankBy
    top_n: int
    rows: list[Row]
    tier: Tier = Tier.ALL

    @property
    def public(self) -> list[Row]:
        """The rows everyone may see: ranks 1..N (everyone tied at N included)."""
        return [r for r in self.rows if r.rank is not None and r.rank <= self.top_n]

    def own(self, person: Person | None) -> Row | None:
        if person is None:
            return None
        return next((r for r in self.rows if r.person_id == person.pk), None)

    @property
    def has_ties(self) -> bool:
        ranks = [r.rank for r in self.public]
        return len(ranks) != len(set(ranks))

    @property
    def ranked_count(self) -> int:
        return sum(1 for r in self.rows if r.rank is not None)


def baseline_of(period: Period) -> Period:
    days = dt.timedelta(days=period.days)
    return Period(period.start - days, period.start - dt.timedelta(days=1))


def leaderboard(
    org: Organisation,
    metric_key: str,
    period: Period,
    *,
    rank_by: RankBy = RankBy.TARGET,
    team_id: int | None = None,
    top_n: int = DEFAULT_TOP_N,
    tier: Tier = Tier.ALL,
    today: dt.date,
) -> Board:
    """The reps of `team_id` (with its sub-teams; None: everyone) in `tier`, ranked on one metric."""
    metric = engine.get_metrics(org).get(metric_key)
    if metric is None:
        raise engine.UnknownMetric(metric_key)
    on = min(period.end, today)
    field = eligible_people(org, roles=[Role.REP], team_id=team_id, min_tenure_days=0, on=on)
    people = field.people
    if tier != Tier.ALL:
        months = len(settings_for(org).ramp_shares)
        people = [p for p in people if in_tier(tier, p.role_since, on, months)]
    ids = [p.pk for p in people]
    base = baseline_of(period)
    results = engine.compute(org, [metric.key], [period, base], ids) if ids else None
    book = None
    if rank_by == RankBy.TARGET and ids:
        book = load_targets(org, [metric.key], period.start, period.end, person_ids=ids)
    additive = is_additive(metric)
    better = 1 if metric.higher_is_better else -1
    rows = []
    for person in people:
        value = results.get(person.pk, metric.key, period).value if results else None
        baseline = results.get(person.pk, metric.key, base).value if results else None
        target = book.person_target(person, metric.key, period, additive=additive) if book else None
        share = attainment(value, target, higher_is_better=metric.higher_is_better)
        improvement = None
        if value is not None and baseline is not None:
            improvement = (value - baseline) * better
        team = field.team_names.get(field.team_of.get(person.pk), "")
        shared = results.shared(person.pk, metric.key, period) if results else 0
        rows.append(
            Row(
                person.pk,
                person.name,
                team,
                value,
                target,
                share,
                baseline,
                improvement,
                None,
                shared,
            )
        )
    measure = {
        RankBy.ABSOLUTE: lambda r: None if r.value is None else r.value * better,
        RankBy.TARGET: lambda r: r.attainment,
        RankBy.IMPROVEMENT: lambda r: r.improvement,
    }[rank_by]
    rows.sort(key=lambda r: (measure(r) is None, -(measure(r) or 0), r.name))
    ranks = competition_ranks(rows, measure)
    rows = [replace(r, rank=rank) for r, rank in zip(rows, ranks, strict=True)]
    top_n = max(1, min(top_n, MAX_TOP_N))
    return Board(metric, period, base, rank_by, top_n, rows, tier)
