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
from followthrough.metrics.definitions import SOURCES, is_local, rolled_for
from followthrough.metrics.models import Metric
from followthrough.metrics.reading import (
    Parts,
    fact_condition,
    read_facts,
    read_rollups,
    read_shared,
    shares_credit,
)
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person

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
    """(person or team id, metric key, period) -> Value; `.get` gives an empty Value when absent.

    Values are made when read: a dashboard reads a few of the figures a
    whole-organisation computation holds, and making tens of thousands of
    Decimal values up front would cost more than the queries. A (person, period)
    cell's Values are made together on its first read; equal parts give the same
    (immutable) Value, made once (see _Maker.value).
    """

    def __init__(
        self,
        values: dict[Key, Value] | None = None,
        *,
        owners: Sequence[int] = (),
        periods: Sequence[Period] = (),
        maker: _Maker | None = None,
        cells: dict[tuple[int, int], dict[int, tuple]] | None = None,
    ):
        self._values: dict[Key, Value] = dict(values or {})
        self._owners = list(owners)
        self._owner_set = set(self._owners)
        self._periods = list(periods)
        self._period_index = {period: index for index, period in enumerate(self._periods)}
        self._maker = maker
        self._cells = cells or {}
        self._rows: dict[tuple[int, int], list[Value]] = {}
        self._last_period: Period | None = None
        self._last_index: int | None = None
        # (owner id, metric key, period) -> how many shared deals the figure counts a share
        # of (for a ratio or average: its denominator's); absent: none. See shared().
        self.shared_deals: dict[Key, int] = {}

    def _make(self, owner_id: int, metric_key: str, period: Period) -> Value | None:
        maker = self._maker
        if maker is None:
            return None
        # Readers pass the same Period object figure after figure: skip hashing it again.
        if period is self._last_period:
            index = self._last_index
        else:
            index = self._period_index.get(period)
            self._last_period, self._last_index = period, index
        position = maker.position.get(metric_key)
        if index is None or position is None:
            return None
        row = self._rows.get((owner_id, index))
        if row is None:
            if owner_id not in self._owner_set:
                return None
            # A cell's figures are made together: readers read most of a cell's metrics.
            row = maker.row(self._cells.get((owner_id, index), NO_PARTS))
            self._rows[(owner_id, index)] = row
        return row[position]

    def __getitem__(self, key: Key) -> Value:
        value = self._values.get(key)
        if value is None:
            value = self._make(*key)
            if value is None:
                raise KeyError(key)
        return value

    def __iter__(self) -> Iterator[Key]:
        if self._maker is None:
            yield from self._values
            return
        for owner_id in self._owners:
            for period in self._periods:
                for metric_key in self._maker.keys:
                    yield (owner_id, metric_key, period)

    def __len__(self) -> int:
        if self._maker is None:
            return len(self._values)
        return len(self._owners) * len(self._periods) * len(self._maker.keys)

    def get(self, owner_id: int, key: str, period: Period) -> Value:  # type: ignore[override]
        if self._values:
            found = self._values.get((owner_id, key, period))
            if found is not None:
                return found
        return self._make(owner_id, key, period) or EMPTY

    def shared(self, owner_id: int, key: str, period: Period) -> int:
        """How many of the deals behind a figure count only a share (docs/metrics.md)."""
        return self.shared_deals.get((owner_id, key, period), 0)


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


def value_of(metric: Metric, parts: Mapping[int, tuple]) -> Value:
    """The Value of `metric` from its base parts {metric id: (n, total)}."""
    return _Maker([metric]).value(0, parts)


DIVIDED, DURATION, PLAIN = 0, 1, 2
NOTHING = (0, 0)
NO_PARTS: dict[int, tuple] = {}
CENTS = Decimal("0.01")


def as_decimal(number) -> Decimal:
    """A database number as an exact Decimal (SQLite sums decimals as floats: back to cents)."""
    if isinstance(number, Decimal):
        return number
    if isinstance(number, float):
        return Decimal(repr(number)).quantize(CENTS)
    return Decimal(number or 0)


class _Maker:
    """Turns base parts {metric id: (n, total)} into Values for a fixed list of metrics."""

    def __init__(self, metrics: Sequence[Metric]):
        self.keys = [m.key for m in metrics]
        self.position = {key: index for index, key in enumerate(self.keys)}
        self.plans = []
        for metric in metrics:
            if metric.is_divided:
                self.plans.append(
                    (DIVIDED, metric.numerator_id, metric.denominator_id, metric.scale)
                )
            elif metric.kind == Kind.DURATION:
                self.plans.append((DURATION, metric.pk, None, None))
            else:
                self.plans.append((PLAIN, metric.pk, None, None))
        self._made: dict[tuple, Value] = {}
        self._empty_row: list[Value] | None = None

    def row(self, parts: Mapping[int, tuple]) -> list[Value]:
        """The Values of every metric, in order, from one cell's base parts."""
        if not parts:
            if self._empty_row is None:
                self._empty_row = [self.value(i, parts) for i in range(len(self.plans))]
            return self._empty_row
        # value() inlined: a whole-organisation read makes tens of thousands of rows.
        made, get, row = self._made, parts.get, []
        for how, first, second, scale in self.plans:
            if how == PLAIN:
                raw = get(first, NOTHING)[1]
                key = (how, type(raw), raw)
            elif how == DURATION:
                n, total = get(first, NOTHING)
                key = (how, type(n), n, type(total), total)
            else:
                top, bottom = get(first, NOTHING)[1], get(second, NOTHING)[1]
                key = (how, scale, type(top), top, type(bottom), bottom)
            value = made.get(key)
            if value is None:
                value = made[key] = self._build(how, key)
            row.append(value)
        return row

    def value(self, position: int, parts: Mapping[int, tuple]) -> Value:
        how, first, second, scale = self.plans[position]
        # Most figures repeat (zeros, small counts): a Value is made once per distinct
        # raw parts. Types are in the key: SQLite's 5 and 5.0 make different Decimals.
        if how == PLAIN:
            raw = parts.get(first, NOTHING)[1]
            key = (how, type(raw), raw)
        elif how == DURATION:
            n, total = parts.get(first, NOTHING)
            key = (how, type(n), n, type(total), total)
        else:
            top = parts.get(first, NOTHING)[1]
            bottom = parts.get(second, NOTHING)[1]
            key = (how, scale, type(top), top, type(bottom), bottom)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._build(how, key)
        return made

    @staticmethod
    def _build(how: int, key: tuple) -> Value:
        if how == PLAIN:
            total = as_decimal(key[2])
            return Value(total, total, None)
        if how == DURATION:
            n, total = as_decimal(key[2]), as_decimal(key[4])
            return Value(total / n if n else None, total, n)
        scale, numerator, denominator = key[1], as_decimal(key[3]), as_decimal(key[5])
        ratio = numerator * scale / denominator if denominator else None
        return Value(ratio, numerator, denominator)


def _parts(
    org: Organisation,
    base: list[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    use_rollups: bool,
    shared: dict[tuple[int, int, int], int] | None = None,
) -> Parts:
    today = today_for(org)
    last = max((p.end for p in periods), default=today)
    rolled = [
        m
        for m in base
        if use_rollups
        and is_local(m.source, m.filters, m.measure)
        and rolled_for(m.filters, last, today)
    ]
    direct = [m for m in base if m not in rolled]
    parts = read_rollups(org.pk, rolled, periods, person_ids, today)
    if direct:
        parts.update(read_facts(org.pk, direct, periods, person_ids, today))
    # Both ways count a shared deal whole for its owner: the shares move after, the same
    # for rollups and facts (docs/metrics.md, "Shared credit").
    for key, (n, total) in read_shared(org.pk, base, periods, person_ids, today, shared).items():
        before_n, before_total = parts.get(key, NOTHING)
        parts[key] = (as_decimal(before_n) + n, as_decimal(before_total) + total)
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
    shared: dict[tuple[int, int, int], int] = {}
    parts = _parts(org, base, periods, scope, use_rollups, shared)
    by_cell: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    for (person_id, metric_id, index), pair in parts.items():
        by_cell[(person_id, index)][metric_id] = pair
    results = Results(owners=people, periods=periods, maker=_Maker(wanted), cells=by_cell)
    results.shared_deals = {
        (person_id, metric.key, periods[index]): number
        for metric in wanted
        for (person_id, metric_id, index), number in shared.items()
        if metric_id == (metric.denominator_id if metric.is_divided else metric.pk)
    }
    return results


def team_members(
    org: Organisation, on: dt.date, team_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Team id -> ids of the people in it or its sub-teams on `on` (see metrics/totals.py)."""
    from followthrough.metrics.totals import team_members as members

    return members(org, on, team_ids)


def compute_teams(
    org: Organisation,
    metrics: Sequence[str],
    periods: Sequence[Period],
    team_ids: Collection[int] | None = None,
) -> Results:
    """The same figures per team, by membership during each period (see metrics/totals.py)."""
    from followthrough.metrics.totals import compute_teams as teams

    return teams(org, metrics, periods, team_ids)


def facts(
    org: Organisation,
    metric_key: str,
    period: Period,
    person_ids: Collection[int] | None,
    *,
    ownerless: bool = False,
) -> QuerySet:
    """The records behind a figure (for a ratio or average: those behind its denominator).

    `ownerless` adds the facts without an owner (the organisation's figures count them).
    """
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
    )
    if not ownerless:
        rows = rows.filter(**{f"{spec.owner}__isnull": False})
    if person_ids is not None:
        mine = Q(**{f"{spec.owner}__in": list(person_ids)})
        if shares_credit(metric):
            # A co-owner's figure counts their share of the deal: the deal is among their records.
            mine |= Q(co_owner_id__in=list(person_ids), co_owner_percent__isnull=False)
        rows = rows.filter(mine)
    return rows.order_by(day, "pk")


def describe(metric: Metric) -> str:
    """The definition in words, for the UI (translated)."""
    from followthrough.metrics.wording import describe as words

    return words(metric)
