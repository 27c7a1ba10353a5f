"""A contest's standings: every participant's figure from one metric-engine computation.

`standings(contest, as_of)` reads the contest's metric for everyone who plays in one
call of the engine (the contest period up to `as_of`, and in the same call the
baseline period for most-improved contests and each day for races), so a contest
and a scorecard never disagree. Formats:

- target: everyone whose figure reaches the target wins;
- ranking: the top N win (ties at the N-th place all win; nobody wins with nothing);
- race: the first to reach the target wins, by the day their running figure
  crossed it (the same day shares the place);
- most improved: figure minus the same figure over the equal-length period just
  before the contest (one's own baseline); the top N who improved win;
- team quest: everyone's figures add up to one shared total; all win when it
  reaches the target.

A wallboard calls the same function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.motivation.eligibility import Field, field_of
from followthrough.motivation.figures import combine, competition_ranks, reached
from followthrough.motivation.models import Contest, Format, Participation
from followthrough.people.lines import today_for


@dataclass(frozen=True)
class Entry:
    """One participant (a person or a team) in a contest."""

    key: str
    name: str
    person_id: int | None = None
    team_id: int | None = None
    value: Decimal | None = None
    baseline: Decimal | None = None
    improvement: Decimal | None = None
    crossed_on: dt.date | None = None
    rank: int | None = None
    wins: bool = False
    members: int = 1
    shared: int = 0  # deals behind the figure that count only a share (pair selling)

    def to_json(self) -> dict:
        data = asdict(self)
        for name in ("value", "baseline", "improvement"):
            if data[name] is not None:
                data[name] = str(data[name])
        if self.crossed_on is not None:
            data["crossed_on"] = self.crossed_on.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> Entry:
        data = dict(data)
        for name in ("value", "baseline", "improvement"):
            if data.get(name) is not None:
                data[name] = Decimal(data[name])
        if data.get("crossed_on"):
            data["crossed_on"] = dt.date.fromisoformat(data["crossed_on"])
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Standings:
    """Where everyone stands in a contest on a day."""

    contest: Contest
    as_of: dt.date
    started: bool
    entries: list[Entry] = field(default_factory=list)
    total: Decimal | None = None  # team quest: the shared figure
    goal_met: bool = False  # team quest: the shared target reached

    @property
    def winners(self) -> list[Entry]:
        return [e for e in self.entries if e.wins]

    def entry_of(self, key: str) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "started": self.started,
            "total": str(self.total) if self.total is not None else None,
            "goal_met": self.goal_met,
            "entries": [e.to_json() for e in self.entries],
        }

    @classmethod
    def from_json(cls, contest: Contest, data: dict) -> Standings:
        total = data.get("total")
        return cls(
            contest=contest,
            as_of=dt.date.fromisoformat(data["as_of"]),
            started=data.get("started", True),
            entries=[Entry.from_json(e) for e in data.get("entries", [])],
            total=Decimal(total) if total is not None else None,
            goal_met=bool(data.get("goal_met")),
        )


def days_of(period: Period) -> list[Period]:
    """Each day of `period` as a one-day period."""
    first = period.start
    return [
        Period(first + dt.timedelta(days=n), first + dt.timedelta(days=n))
        for n in range(period.days)
    ]


def standings(
    contest: Contest, as_of: dt.date | None = None, *, field: Field | None = None
) -> Standings:
    """Where everyone stands on `as_of` (default: today): figures up to that day."""
    org = contest.organisation
    as_of = as_of or today_for(org)
    field = field or field_of(contest)
    metric = engine.get_metrics(org).get(contest.metric_key)
    if metric is None:
        raise engine.UnknownMetric(contest.metric_key)
    started = as_of >= contest.start and bool(field.people)
    if not started:
        entries = [
            _blank(contest, field, key, name, pid, tid)
            for key, name, pid, tid in _players(contest, field)
        ]
        return Standings(contest, as_of, False, entries)
    run = Period(contest.start, min(contest.end, as_of))
    periods = [run]
    if contest.format == Format.MOST_IMPROVED:
        periods.append(contest.baseline_period)
    days = days_of(run) if contest.format == Format.RACE else []
    periods += days
    # One computation for everyone: the figures a scorecard shows for the same period.
    results = engine.compute(org, [metric.key], periods, [p.pk for p in field.people])
    key = metric.key

    def figure(ids: list[int], period: Period) -> engine.Value:
        values = [results.get(pid, key, period) for pid in ids]
        return values[0] if len(values) == 1 else combine(metric, values)

    members: dict[int | None, list[int]] = {}
    for person in field.people:
        members.setdefault(field.team_of.get(person.pk), []).append(person.pk)
    entries = []
    for entry_key, name, pid, tid in _players(contest, field):
        ids = [pid] if pid is not None else members.get(tid, [])
        value = figure(ids, run).value
        shared = sum(results.shared(pid, key, run) for pid in ids)
        baseline = improvement = crossed = None
        if contest.format == Format.MOST_IMPROVED:
            baseline = figure(ids, contest.baseline_period).value
            if value is not None and baseline is not None:
                improvement = value - baseline if metric.higher_is_better else baseline - value
        if days:
            crossed = _crossing_day(metric, [figure(ids, d) for d in days], days, contest.target)
        entries.append(
            Entry(
                entry_key,
                name,
                pid,
                tid,
                value,
                baseline,
                improvement,
                crossed,
                members=len(ids),
                shared=shared,
            )
        )
    return _ranked(contest, metric, as_of, entries)


def _players(contest: Contest, field: Field):
    """(key, name, person id, team id) of each participant."""
    if contest.participation == Participation.TEAM:
        teams = sorted(
            {t for t in field.team_of.values() if t is not None},
            key=lambda t: field.team_names.get(t, ""),
        )
        return [(f"t{t}", field.team_names.get(t, ""), None, t) for t in teams]
    return [(f"p{p.pk}", p.name, p.pk, field.team_of.get(p.pk)) for p in field.people]


def _blank(contest, field, key, name, pid, tid) -> Entry:
    members = 1 if pid is not None else sum(1 for t in field.team_of.values() if t == tid)
    return Entry(key, name, pid, tid, members=members)


def _crossing_day(metric, day_values, days, target) -> dt.date | None:
    """The first day the running figure reached the target (set-based: from daily figures)."""
    if target is None:
        return None
    running = engine.Value()
    for value, day in zip(day_values, days, strict=True):
        # Kept as a running total: a year-long race stays linear in its days.
        running = combine(metric, [running, value])
        if reached(running.value, target, metric.higher_is_better):
            return day.start
    return None


def _measure(fmt: str, better: int, entry: Entry):
    """What ranks an entry, smaller first; None: not ranked (no figure yet)."""
    if fmt == Format.MOST_IMPROVED:
        return None if entry.improvement is None else -entry.improvement
    if entry.value is None:
        return None
    if fmt == Format.RACE:
        # Those who crossed, by day; then the rest by how close they came.
        if entry.crossed_on is not None:
            return (0, entry.crossed_on.toordinal(), Decimal(0))
        return (1, 0, -better * entry.value)
    return -better * entry.value


def _ranked(contest: Contest, metric, as_of: dt.date, entries: list[Entry]) -> Standings:
    fmt, better = contest.format, 1 if metric.higher_is_better else -1
    measured = [(_measure(fmt, better, e), e) for e in entries]
    measured.sort(key=lambda pair: (pair[0] is None, pair[0] or 0, pair[1].name))
    ranks = competition_ranks(measured, lambda pair: pair[0])
    entries = [e for _, e in measured]
    total, goal_met = None, False
    if fmt == Format.TEAM_QUEST:
        figures = [engine.Value(e.value, e.value, None) for e in entries if e.value is not None]
        total = combine(metric, figures).value
        goal_met = reached(total, contest.target, metric.higher_is_better)
    top_n = contest.top_n or 1
    ranked = []
    for entry, rank in zip(entries, ranks, strict=True):
        if fmt == Format.TARGET:
            wins = reached(entry.value, contest.target, metric.higher_is_better)
        elif fmt == Format.RANKING:
            # Nobody wins a most-sales contest with no sales: a place needs a figure.
            scored = entry.value is not None and (entry.value > 0 or better < 0)
            wins = rank is not None and rank <= top_n and scored
        elif fmt == Format.MOST_IMPROVED:
            wins = rank is not None and rank <= top_n and (entry.improvement or 0) > 0
        elif fmt == Format.RACE:
            wins = entry.crossed_on is not None and rank is not None and rank <= top_n
        else:
            wins = goal_met
        ranked.append(replace(entry, rank=rank, wins=wins))
    return Standings(contest, as_of, True, ranked, total, goal_met)
