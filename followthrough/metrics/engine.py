"""The metric engine: values of any metrics, for any people or teams, over any periods.

A constant number of set-based queries whatever the number of people, periods
and metrics: one for the catalog, one for the people, one over the rollups for
the additive metrics, and one per (kind of fact, date) for the metrics computed
straight from the facts. Ratios and averages divide summed parts, never average
averages. See docs/metrics.md for every definition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from followthrough.lib.periods import Period
from followthrough.metrics.catalog import get_metrics
from followthrough.metrics.choices import Kind
from followthrough.metrics.definitions import SOURCES, is_local
from followthrough.metrics.models import Metric
from followthrough.metrics.reading import ZERO, Parts, fact_condition, read_facts, read_rollups
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Organisation, Person, Team

__all__ = [
    "Value",
    "Results",
    "compute",
    "compute_teams",
    "facts",
    "describe",
    "get_metrics",
    "Catalog",
    "UnknownMetric",
]

Catalog = get_metrics


@dataclass(frozen=True)
class Value:
    """One figure: the value shown, and the parts it was divided from (if any)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return self.value is None


EMPTY = Value()
Key = tuple[int, str, Period]


class Results(Mapping):
    """(person or team id, metric key, period) -> Value; `.get` gives an empty Value when absent."""

    def __init__(self, values: dict[Key, Value] | None = None):
        self._values: dict[Key, Value] = values or {}

    def __getitem__(self, key: Key) -> Value:
        return self._values[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get(self, owner_id: int, key: str, period: Period) -> Value:  # type: ignore[override]
        return self._values.get((owner_id, key, period), EMPTY)


class UnknownMetric(KeyError):
    """A metric key the organisation does not have."""

    def __str__(self) -> str:
        return f"unknown metric: {self.args[0]}"


def _resolve(catalog: dict[str, Metric], keys: Sequence[str]) -> tuple[list[Metric], list[Metric]]:
    """The requested metrics and the base metrics they need."""
    wanted, base = [], {}
    for key in keys:
        metric = catalog.get(key)
        if metric is None:
            raise UnknownMetric(key)
        wanted.append(metric)
        for part in (metric.numerator, metric.denominator) if metric.is_divided else (metric,):
            base[part.pk] = part
    return wanted, list(base.values())


def _divide(
    numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(1)
) -> Decimal | None:
    if not denominator:
        return None
    return numerator * scale / denominator


def value_of(metric: Metric, parts: Mapping[int, tuple[Decimal, Decimal]]) -> Value:
    """The Value of `metric` from its base parts {metric id: (n, total)}."""
    if metric.is_divided:
        numerator = parts.get(metric.numerator_id, (ZERO, ZERO))[1]
        denominator = parts.get(metric.denominator_id, (ZERO, ZERO))[1]
        return Value(_divide(numerator, denominator, metric.scale), numerator, denominator)
    n, total = parts.get(metric.pk, (ZERO, ZERO))
    if metric.kind == Kind.DURATION:
        return Value(_divide(total, n), total, n)
    return Value(total, total, None)


def _parts(
    org: Organisation,
    base: list[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    use_rollups: bool,
) -> Parts:
    rolled = [m for m in base if use_rollups and is_local(m.source, m.filters, m.measure)]
    direct = [m for m in base if m not in rolled]
    parts = read_rollups(org.pk, rolled, periods, person_ids)
    if direct:
        parts.update(read_facts(org.pk, direct, periods, person_ids, today_for(org)))
    return parts


def compute(
    org: Organisation,
    metrics: Sequence[str],
    periods: Sequence[Period],
    person_ids: Collection[int] | None = None,
    *,
    use_rollups: bool = True,
) -> Results:
    """Every requested metric for every person and period (everyone in `org` when None).

    `use_rollups=False` computes everything from the facts (the property tests
    compare both ways).
    """
    wanted, base = _resolve(get_metrics(org), metrics)
    if person_ids is None:
        people = list(Person.objects.filter(organisation=org).values_list("pk", flat=True))
        scope = None
    else:
        people = scope = list(person_ids)
    periods = list(periods)
    parts = _parts(org, base, periods, scope, use_rollups)
    by_cell: dict[tuple[int, int], dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for (person_id, metric_id, index), pair in parts.items():
        by_cell[(person_id, index)][metric_id] = pair
    values: dict[Key, Value] = {}
    for person_id in people:
        for index, period in enumerate(periods):
            cell = by_cell.get((person_id, index), {})
            for metric in wanted:
                values[(person_id, metric.key, period)] = value_of(metric, cell)
    return Results(values)


def team_members(
    org: Organisation, on: dt.date, team_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Team id -> ids of the people in it or its sub-teams on `on`, from two queries."""
    parent_of = dict(Team.objects.filter(organisation=org).values_list("pk", "parent_id"))
    direct: dict[int, set[int]] = defaultdict(set)
    for person_id, team_id in (
        lines_on(org, on).filter(team__isnull=False).values_list("person_id", "team_id")
    ):
        direct[team_id].add(person_id)
    members: dict[int, set[int]] = {pk: set() for pk in parent_of}
    for team_id, people in direct.items():
        seen, node = set(), team_id
        while node is not None and node not in seen and node in members:
            seen.add(node)  # bad data with a loop must not hang the page
            members[node] |= people
            node = parent_of.get(node)
    if team_ids is not None:
        wanted = set(team_ids)
        members = {pk: ids for pk, ids in members.items() if pk in wanted}
    return members


def compute_teams(
    org: Organisation,
    metrics: Sequence[str],
    periods: Sequence[Period],
    team_ids: Collection[int] | None = None,
    on: dt.date | None = None,
) -> Results:
    """The same figures per team: members (sub-teams included) on `on`, parts summed."""
    on = on or today_for(org)
    members = team_members(org, on, team_ids)
    wanted, base = _resolve(get_metrics(org), metrics)
    everyone = set().union(*members.values()) if members else set()
    periods = list(periods)
    parts = _parts(org, base, periods, everyone, use_rollups=True) if everyone else {}
    per_person: dict[tuple[int, int], dict[int, tuple[Decimal, Decimal]]] = defaultdict(dict)
    for (person_id, metric_id, index), pair in parts.items():
        per_person[(person_id, index)][metric_id] = pair
    values: dict[Key, Value] = {}
    for team_id, people in members.items():
        for index, period in enumerate(periods):
            summed: dict[int, tuple[Decimal, Decimal]] = {}
            for person_id in people:
                for metric_id, (n, total) in per_person.get((person_id, index), {}).items():
                    was_n, was_total = summed.get(metric_id, (ZERO, ZERO))
                    summed[metric_id] = (was_n + n, was_total + total)
            for metric in wanted:
                values[(team_id, metric.key, period)] = value_of(metric, summed)
    return Results(values)


def facts(
    org: Organisation,
    metric_key: str,
    period: Period,
    person_ids: Collection[int] | None,
) -> QuerySet:
    """The records behind a figure (for a ratio or average: those behind its denominator)."""
    metric = get_metrics(org).get(metric_key)
    if metric is None:
        raise UnknownMetric(metric_key)
    if metric.is_divided:
        metric = metric.denominator
    spec = SOURCES[metric.source]
    day = spec.dates[metric.date_basis]
    rows = spec.model.objects.filter(
        fact_condition(metric, today_for(org)),
        Q(**{f"{day}__range": (period.start, period.end)}),
        organisation=org,
        **{f"{spec.owner}__isnull": False},
    )
    if person_ids is not None:
        rows = rows.filter(**{f"{spec.owner}__in": list(person_ids)})
    return rows.order_by(day, "pk")


def describe(metric: Metric) -> str:
    """The definition in words, for the UI (translated)."""
    from followthrough.metrics.wording import describe as words

    return words(metric)
