"""The set-based reads behind the engine: one query per group of metrics, never per person.

Each read returns {(person_id, metric_id, period_index): (n, total)}, the two
additive parts of a base metric (count, sum or duration) over a period.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)

from followthrough.crm.models import Deal
from followthrough.lib.periods import Period
from followthrough.metrics.choices import Measure, Source
from followthrough.metrics.definitions import SOURCES, filter_q
from followthrough.metrics.expressions import DaysBetween
from followthrough.metrics.models import Metric, Rollup
from followthrough.metrics.segments import segments

# Up to this many people, reading each one's rows beats reading the metrics' rows of all.
FEW_PEOPLE = 50
Parts = dict[tuple[int, int, int], tuple[Decimal, Decimal]]
ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENTS = Decimal("0.01")
# Amounts (cents) or days times whole percents: exact in cents on either database.
SHARE_FIELD = DecimalField(max_digits=24, decimal_places=2)


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def measure_expression(metric: Metric):
    """What a fact adds to the total: its amount, seconds or cycle days (None: just counted)."""
    spec = SOURCES[metric.source]
    if metric.measure == Measure.CYCLE_DAYS:
        return DaysBetween(spec.dates["created"], spec.dates["closed"])
    field = spec.measures.get(metric.measure, "")
    if metric.measure == Measure.ACCOUNTS or not field:
        return None
    return field


def fact_condition(metric: Metric, today: dt.date) -> Q:
    """The facts a base metric counts, before the period is applied."""
    query = filter_q(metric.source, metric.filters, today)
    if metric.measure == Measure.CYCLE_DAYS:
        spec = SOURCES[metric.source]
        query &= Q(**{f"{spec.dates['created']}__isnull": False})
    return query


def disjoint_groups(periods: Sequence[Period]) -> list[list[int]]:
    """Indexes of `periods` in groups whose periods do not overlap (trends need one group).

    Each group is read with one query that places a row in at most one period.
    """
    groups: list[list[int]] = []
    ends: list[dt.date] = []
    for index in sorted(range(len(periods)), key=lambda i: (periods[i].start, periods[i].end)):
        period = periods[index]
        for number, end in enumerate(ends):
            if end < period.start:
                groups[number].append(index)
                ends[number] = period.end
                break
        else:
            groups.append([index])
            ends.append(period.end)
    return groups


def read_rollups(
    org_id: int,
    metrics: Sequence[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    today: dt.date,
) -> Parts:
    """Sums of the rolled-up parts, per person, metric and period.

    Whole quarters and months come from the rollups (one query per disjoint group of
    periods); the days of a period's partial first and last months come from the
    facts, one query per group of such ranges, and are added to the months.
    """
    if not metrics or not periods:
        return {}
    cuts = [segments(period) for period in periods]
    parts: Parts = {}
    rolled = [i for i, (pieces, _) in enumerate(cuts) if pieces]
    for group in disjoint_groups([periods[i] for i in rolled]):
        chosen = [rolled[i] for i in group]
        parts.update(_read_rollup_group(org_id, metrics, cuts, chosen, person_ids))
    leftovers = [(i, days) for i, (_, periods_days) in enumerate(cuts) for days in periods_days]
    if leftovers:
        edges = read_facts(org_id, metrics, [days for _, days in leftovers], person_ids, today)
        for (person_id, metric_id, edge), (n, total) in edges.items():
            key = (person_id, metric_id, leftovers[edge][0])
            before_n, before_total = parts.get(key, (ZERO, ZERO))
            parts[key] = (_dec(before_n) + n, _dec(before_total) + total)
    return parts


def _read_rollup_group(org_id, metrics, cuts, group, person_ids) -> Parts:
    # Plain SQL: the statement is simple and the ORM's cost of building it would be
    # most of a scorecard's time.
    ops = connection.ops
    # When each period is one rollup row per person and metric (a month, a quarter, a
    # trend of months), rows are read as they are and placed by their day: no grouping.
    cells: dict[tuple[str, str], int] | None = {}
    cases, where, case_params, where_params = [], [], [], []
    for index in group:
        pieces = []
        for grain, first, last in cuts[index][0]:
            pieces.append("(grain = %s AND day BETWEEN %s AND %s)")
            values = [grain, ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)]
            case_params += values
            where_params += values
            if cells is not None and first == last and len(cuts[index][0]) == 1:
                cells[(grain, first.isoformat())] = index
            else:
                cells = None
        cases.append(f"WHEN {' OR '.join(pieces)} THEN {int(index)}")
        where.extend(pieces)
    table = ops.quote_name(Rollup._meta.db_table)
    if connection.vendor == "sqlite":
        # Without fresh statistics SQLite may walk the wrong index over every row of the
        # organisation; the right one is known: by metric for many people, else by person.
        many = person_ids is None or len(person_ids) > FEW_PEOPLE
        table += f" INDEXED BY {'rollup_cell_cover' if many else 'rollup_person_cover'}"
    metric_marks = ", ".join(["%s"] * len(metrics))
    condition = (
        f"FROM {table} WHERE organisation_id = %s AND metric_id IN ({metric_marks}) "
        f"AND ({' OR '.join(where)})"
    )
    params = [org_id, *[m.pk for m in metrics], *where_params]
    if person_ids is not None:
        people = list(person_ids)
        if not people:
            return {}
        condition += f" AND person_id IN ({', '.join(['%s'] * len(people))})"
        params += people
    parts: Parts = {}
    with connection.cursor() as cursor:
        if cells is not None:
            # The day as text: no date object made per row (SQLite's driver would, by type).
            cursor.execute(
                f"SELECT person_id, metric_id, grain, CAST(day AS TEXT), n, total {condition}",
                params,
            )
            for person_id, metric_id, grain, day, n, total in cursor.fetchall():
                # Raw numbers: the engine makes exact Decimals of the ones it reads.
                parts[(person_id, metric_id, cells[(grain, day)])] = (n, total)
            return parts
        cursor.execute(
            f"SELECT person_id, metric_id, CASE {' '.join(cases)} END AS bucket, "
            f"SUM(n), SUM(total) {condition} GROUP BY person_id, metric_id, bucket",
            [*case_params, *params],
        )
        for person_id, metric_id, bucket, n, total in cursor.fetchall():
            if bucket is not None:
                parts[(person_id, metric_id, int(bucket))] = (n, total)
    return parts


def _by_source(metrics: Sequence[Metric]) -> dict[tuple[str, str], list[Metric]]:
    by_source: dict[tuple[str, str], list[Metric]] = defaultdict(list)
    for metric in metrics:
        by_source[(metric.source, metric.date_basis)].append(metric)
    return by_source


def read_facts(
    org_id: int,
    metrics: Sequence[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    today: dt.date,
    *,
    ownerless: bool = False,
) -> Parts:
    """The parts computed straight from the facts: one query per (source, date, disjoint group).

    With `ownerless`, the parts of the facts that have no owner, under the person id None
    (rollups hold no such facts: they count only for the organisation as a whole).
    """
    parts: Parts = {}
    for (source, basis), same in _by_source(metrics).items():
        for group in disjoint_groups(periods):
            parts.update(
                _read_group(
                    org_id, source, basis, same, periods, group, person_ids, today, ownerless
                )
            )
    return parts


def read_spans(
    org_id: int,
    metrics: Sequence[Metric],
    spans: Sequence[tuple[int, dt.date, dt.date]],
    today: dt.date,
) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """{(span index, metric id): (n, total)} for spans (person id, first day, last day).

    Each person's facts over their own days (the days they belonged to a team): one
    query per (source, date) however many spans. A person's spans must not overlap.
    """
    found: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}
    if not spans:
        return found
    for (source, basis), same in _by_source(metrics).items():
        spec = SOURCES[source]
        day = spec.dates[basis]
        bucket = Case(
            *[
                When(Q(**{spec.owner: person_id, f"{day}__range": (first, last)}), then=Value(i))
                for i, (person_id, first, last) in enumerate(spans)
            ],
            default=Value(-1),
            output_field=IntegerField(),
        )
        rows = spec.model.objects.filter(
            organisation_id=org_id,
            **{f"{spec.owner}__in": sorted({person_id for person_id, _, _ in spans})},
            **{f"{day}__range": (min(s[1] for s in spans), max(s[2] for s in spans))},
        )
        rows = rows.annotate(m_bucket=bucket).values("m_bucket")
        rows = rows.annotate(**_aggregates(same, today)).order_by()
        for row in rows:
            if row["m_bucket"] >= 0:
                for metric_id, pair in _row_parts(row, same).items():
                    found[(row["m_bucket"], metric_id)] = pair
    return found


def _aggregates(metrics: Sequence[Metric], today: dt.date) -> dict:
    aggregates = {}
    for metric in metrics:
        condition = fact_condition(metric, today)
        measure = measure_expression(metric)
        if metric.measure == Measure.ACCOUNTS:
            aggregates[f"n_{metric.pk}"] = Count("account_id", filter=condition, distinct=True)
        else:
            aggregates[f"n_{metric.pk}"] = Count("pk", filter=condition)
        if measure is not None:
            aggregates[f"t_{metric.pk}"] = Sum(measure, filter=condition)
    return aggregates


def _row_parts(row: dict, metrics: Sequence[Metric]) -> dict[int, tuple[Decimal, Decimal]]:
    parts = {}
    for metric in metrics:
        n = _dec(row[f"n_{metric.pk}"])
        key = f"t_{metric.pk}"
        total = _dec(row[key]) if key in row else n
        if n or total:
            parts[metric.pk] = (n, total)
    return parts


def _weakest(metrics: Sequence[Metric]) -> list[Metric]:
    """The metrics no other metric's condition includes: the facts any of these count are
    the facts any of all count (a metric's filters must all hold, so more filters count
    fewer facts).

    Deals won and new-business deals won read as "outcome = won" rather than "won, or new
    business and won": SQLite seeks the first by the period's dates, and for the second
    read every won deal of the people (1.2 s for one day of 2,000 people's deals)."""

    def terms(metric: Metric) -> set[tuple[str, str]]:
        found = {
            (name, json.dumps(value, sort_keys=True)) for name, value in metric.filters.items()
        }
        if metric.measure == Measure.CYCLE_DAYS:  # fact_condition's own filter
            found.add(("created", "not null"))
        return found

    kept: list[tuple[set, Metric]] = []
    for metric in sorted(metrics, key=lambda m: len(terms(m))):
        mine = terms(metric)
        if not any(theirs <= mine for theirs, _ in kept):
            kept.append((mine, metric))
    return [metric for _, metric in kept]


def _read_group(
    org_id, source, basis, metrics, periods, group, person_ids, today, ownerless=False
) -> Parts:
    spec = SOURCES[source]
    day = spec.dates[basis]
    chosen = [periods[i] for i in group]
    span = (min(p.start for p in chosen), max(p.end for p in chosen))
    rows = spec.model.objects.filter(
        organisation_id=org_id,
        **{f"{spec.owner}__isnull": ownerless},
        **{f"{day}__range": span},
    )
    if day == "close_on" and all(m.filters.get("new_logo") is True for m in metrics):
        # A new logo is won on its account's first win, so with the period on the close
        # date that first win is in the period too. Said outright, the database starts
        # from the few accounts first won in the period, not every deal closed in it
        # (57 ms down to 6 ms for the benchmark's quarter).
        rows = rows.filter(account__organisation_id=org_id, account__first_won_on__range=span)
    if person_ids is not None:
        rows = rows.filter(**{f"{spec.owner}__in": list(person_ids)})
    bucket = Case(
        *[
            When(Q(**{f"{day}__range": (periods[i].start, periods[i].end)}), then=Value(i))
            for i in group
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )
    aggregates = _aggregates(metrics, today)
    # Only rows some metric counts: lets the database use an index on the filters.
    if all(m.filters for m in metrics):
        anything = Q(pk__in=[])
        for metric in _weakest(metrics):
            anything |= fact_condition(metric, today)
        rows = rows.filter(anything)
    rows = (
        rows.annotate(m_bucket=bucket)
        .values(spec.owner, "m_bucket")
        .annotate(**aggregates)
        .order_by()
    )
    parts: Parts = {}
    for row in rows:
        index = row["m_bucket"]
        if index < 0:
            continue
        for metric_id, pair in _row_parts(row, metrics).items():
            parts[(row[spec.owner], metric_id, index)] = pair
    return parts


def shares_credit(metric: Metric) -> bool:
    """Whether a base metric splits a shared deal between its owner and co-owner.

    Counts, sums and durations of deals do; distinct accounts do not (an account is
    not divided), nor do facts of other kinds (one owner each). docs/metrics.md,
    "Shared credit".
    """
    return metric.source == Source.DEALS and metric.measure != Measure.ACCOUNTS


def _share_aggregates(metrics: Sequence[Metric], today: dt.date, counted: bool = False) -> dict:
    """Per metric: the co-owners' shares of the count (in percent) and of the measure
    (and, if `counted`, how many shared deals)."""
    aggregates = {}
    percent = F("co_owner_percent")
    for metric in metrics:
        condition = fact_condition(metric, today)
        if counted:
            aggregates[f"c_{metric.pk}"] = Count("pk", filter=condition)
        aggregates[f"n_{metric.pk}"] = Sum(percent, filter=condition)
        measure = measure_expression(metric)
        if measure is not None:
            measure = F(measure) if isinstance(measure, str) else measure
            aggregates[f"t_{metric.pk}"] = Sum(
                ExpressionWrapper(measure * percent, output_field=SHARE_FIELD),
                filter=condition,
            )
    return aggregates


def _percent_parts(row: dict, metrics: Sequence[Metric]) -> dict[int, tuple[Decimal, Decimal]]:
    """The co-owners' parts of a grouped row: its percent sums divided by 100, exactly."""
    parts = {}
    for metric in metrics:
        n = _dec(row[f"n_{metric.pk}"]) / HUNDRED
        key = f"t_{metric.pk}"
        total = _dec(row[key]).quantize(CENTS) / HUNDRED if key in row else n
        if n or total:
            parts[metric.pk] = (n, total)
    return parts


def _shared_deals(org_id: int):
    """The deals whose credit is shared (by the partial index on co-owners)."""
    return Deal.objects.filter(
        organisation_id=org_id,
        co_owner_id__isnull=False,
        owner_id__isnull=False,
        co_owner_percent__isnull=False,
    )


def any_shared(org_id: int) -> bool:
    """Whether the organisation shares any deal: one probe of the partial index, in plain
    SQL (the ORM's cost of building the query would be most of it)."""
    table = connection.ops.quote_name(Deal._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE organisation_id = %s AND co_owner_id IS NOT NULL "
            "AND owner_id IS NOT NULL AND co_owner_percent IS NOT NULL LIMIT 1",
            [org_id],
        )
        return cursor.fetchone() is not None


def read_shared(
    org_id: int,
    metrics: Sequence[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    today: dt.date,
    counts: dict[tuple[int, int, int], int] | None = None,
) -> Parts:
    """What shared deals move from owners to co-owners, per person, metric and period.

    The other reads count a deal whole for its owner (and so do the rollups: a change
    of co-owner or rule needs no rollup rebuilt). This read, over the shared deals only,
    gives the co-owner their share and takes it from the owner: negative parts for
    owners, positive ones for co-owners, added to the others by the engine. One query
    per (date, disjoint group of periods), grouped by (owner, co-owner, period).
    `counts`, if given, receives how many shared deals each figure's parts hold.
    """
    shared = [m for m in metrics if shares_credit(m)]
    moved: Parts = {}
    if not shared or not periods:
        return moved
    scope = None if person_ids is None else set(person_ids)
    if scope is not None and not scope:
        return moved
    # Most organisations share no deal: one look at the partial index, instead of
    # building and running the grouped reads.
    if not any_shared(org_id):
        return moved
    for (_source, basis), same in _by_source(shared).items():
        day = SOURCES[Source.DEALS].dates[basis]
        for group in disjoint_groups(periods):
            chosen = [periods[i] for i in group]
            rows = _shared_deals(org_id).filter(
                **{f"{day}__range": (min(p.start for p in chosen), max(p.end for p in chosen))}
            )
            if scope is not None:
                rows = rows.filter(Q(owner_id__in=sorted(scope)) | Q(co_owner_id__in=sorted(scope)))
            bucket = Case(
                *[
                    When(Q(**{f"{day}__range": (periods[i].start, periods[i].end)}), then=Value(i))
                    for i in group
                ],
                default=Value(-1),
                output_field=IntegerField(),
            )
            rows = (
                rows.annotate(m_bucket=bucket)
                .values("owner_id", "co_owner_id", "m_bucket")
                .annotate(**_share_aggregates(same, today, counted=counts is not None))
                .order_by()
            )
            for row in rows:
                index = row["m_bucket"]
                if index < 0:
                    continue
                if counts is not None:
                    _count_shared(counts, row, same, index, scope)
                for metric_id, (n, total) in _percent_parts(row, same).items():
                    if scope is None or row["owner_id"] in scope:
                        _move(moved, (row["owner_id"], metric_id, index), -n, -total)
                    if scope is None or row["co_owner_id"] in scope:
                        _move(moved, (row["co_owner_id"], metric_id, index), n, total)
    return moved


def read_shared_spans(
    org_id: int,
    metrics: Sequence[Metric],
    spans: Sequence[tuple[int, dt.date, dt.date]],
    today: dt.date,
) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """read_shared for read_spans' spans: {(span index, metric id): (n, total) moved}.

    A shared deal dated in an owner's span takes the share from it; dated in a
    co-owner's span, adds it. Two queries per date (as owner, as co-owner).
    """
    shared = [m for m in metrics if shares_credit(m)]
    moved: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}
    if not shared or not spans or not any_shared(org_id):
        return moved
    people = sorted({person_id for person_id, _, _ in spans})
    first, last = min(s[1] for s in spans), max(s[2] for s in spans)
    for (_source, basis), same in _by_source(shared).items():
        day = SOURCES[Source.DEALS].dates[basis]
        for side, sign in (("owner_id", -1), ("co_owner_id", 1)):
            bucket = Case(
                *[
                    When(Q(**{side: person_id, f"{day}__range": (start, end)}), then=Value(i))
                    for i, (person_id, start, end) in enumerate(spans)
                ],
                default=Value(-1),
                output_field=IntegerField(),
            )
            rows = _shared_deals(org_id).filter(
                **{f"{side}__in": people, f"{day}__range": (first, last)}
            )
            rows = (
                rows.annotate(m_bucket=bucket)
                .values("m_bucket")
                .annotate(**_share_aggregates(same, today))
                .order_by()
            )
            for row in rows:
                if row["m_bucket"] >= 0:
                    for metric_id, (n, total) in _percent_parts(row, same).items():
                        key = (row["m_bucket"], metric_id)
                        _move(moved, key, sign * n, sign * total)
    return moved


def _count_shared(counts: dict, row: dict, metrics: Sequence[Metric], index: int, scope) -> None:
    for metric in metrics:
        number = row[f"c_{metric.pk}"]
        if number:
            for person_id in (row["owner_id"], row["co_owner_id"]):
                if scope is None or person_id in scope:
                    key = (person_id, metric.pk, index)
                    counts[key] = counts.get(key, 0) + number


def _move(into: dict, key: tuple, n: Decimal, total: Decimal) -> None:
    was_n, was_total = into.get(key, (ZERO, ZERO))
    into[key] = (was_n + n, was_total + total)
