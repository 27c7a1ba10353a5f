"""The set-based reads behind the engine: one query per group of metrics, never per person.

Each read returns {(person_id, metric_id, period_index): (n, total)}, the two
additive parts of a base metric (count, sum or duration) over a period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db.models import Count, Q, Sum

from followthrough.lib.periods import Period
from followthrough.metrics.choices import Measure
from followthrough.metrics.definitions import SOURCES, filter_q
from followthrough.metrics.expressions import DaysBetween
from followthrough.metrics.models import Metric, Rollup
from followthrough.metrics.segments import segment_q

Parts = dict[tuple[int, int, int], tuple[Decimal, Decimal]]
ZERO = Decimal(0)


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


def read_rollups(
    org_id: int,
    metrics: Sequence[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
) -> Parts:
    """Sums of the rolled-up parts, per person, metric and period, in one query."""
    if not metrics or not periods:
        return {}
    rows = Rollup.objects.filter(organisation_id=org_id, metric_id__in=[m.pk for m in metrics])
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    covering = Q(pk__in=[])
    aggregates = {}
    for index, period in enumerate(periods):
        where = segment_q(period)
        covering |= where
        aggregates[f"n{index}"] = Sum("n", filter=where)
        aggregates[f"t{index}"] = Sum("total", filter=where)
    rows = rows.filter(covering).values("person_id", "metric_id").annotate(**aggregates)
    parts: Parts = {}
    for row in rows.order_by():
        for index in range(len(periods)):
            n, total = row[f"n{index}"], row[f"t{index}"]
            if n is not None:
                parts[(row["person_id"], row["metric_id"], index)] = (_dec(n), _dec(total))
    return parts


def read_facts(
    org_id: int,
    metrics: Sequence[Metric],
    periods: Sequence[Period],
    person_ids: Collection[int] | None,
    today: dt.date,
) -> Parts:
    """The parts computed straight from the facts: one query per (source, date) pair."""
    groups: dict[tuple[str, str], list[Metric]] = defaultdict(list)
    for metric in metrics:
        groups[(metric.source, metric.date_basis)].append(metric)
    parts: Parts = {}
    for (source, basis), group in groups.items():
        parts.update(_read_group(org_id, source, basis, group, periods, person_ids, today))
    return parts


def _read_group(org_id, source, basis, metrics, periods, person_ids, today) -> Parts:
    if not periods:
        return {}
    spec = SOURCES[source]
    day = spec.dates[basis]
    rows = spec.model.objects.filter(
        organisation_id=org_id,
        **{f"{spec.owner}__isnull": False},
        **{f"{day}__range": (min(p.start for p in periods), max(p.end for p in periods))},
    )
    if person_ids is not None:
        rows = rows.filter(**{f"{spec.owner}__in": list(person_ids)})
    aggregates = {}
    for metric in metrics:
        condition = fact_condition(metric, today)
        measure = measure_expression(metric)
        for index, period in enumerate(periods):
            where = condition & Q(**{f"{day}__range": (period.start, period.end)})
            if metric.measure == Measure.ACCOUNTS:
                aggregates[f"n_{metric.pk}_{index}"] = Count(
                    "account_id", filter=where, distinct=True
                )
            else:
                aggregates[f"n_{metric.pk}_{index}"] = Count("pk", filter=where)
            if measure is not None:
                aggregates[f"t_{metric.pk}_{index}"] = Sum(measure, filter=where)
    rows = rows.values(spec.owner).annotate(**aggregates).order_by()
    parts: Parts = {}
    for row in rows:
        person_id = row[spec.owner]
        for metric in metrics:
            for index in range(len(periods)):
                n = _dec(row[f"n_{metric.pk}_{index}"])
                key = f"t_{metric.pk}_{index}"
                total = _dec(row[key]) if key in row else n
                if n or total:
                    parts[(person_id, metric.pk, index)] = (n, total)
    return parts
