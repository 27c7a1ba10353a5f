"""Keeping the rollups of additive metrics equal to the facts, incrementally.

A rollup row holds one metric's count and total for one person on one day,
and the same summed over a calendar month. When facts change, the days they
touched (before and after the change) are recomputed from the facts in
set-based INSERT ... SELECT statements, then the months holding those days
are re-summed from the day rows. Recomputing whole days, rather than adding
and subtracting deltas, keeps the rollups exact whatever the order of writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from followthrough.crm.models import Activity, Deal, Lead
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics.choices import Grain, Source
from followthrough.metrics.definitions import SOURCES, is_local
from followthrough.metrics.models import Metric, Rollup
from followthrough.metrics.reading import fact_condition, measure_expression

SOURCE_OF_MODEL = {Deal: Source.DEALS, Activity: Source.ACTIVITIES, Lead: Source.LEADS}
# Above this many days a refresh filters on the range they span: one index range scan
# beats a very long IN list.
MAX_LISTED_DAYS = 400
COLUMNS = ("organisation_id", "metric_id", "person_id", "grain", "day", "n", "total")


def rolled_metrics(org_id: int, source: str | None = None) -> list[Metric]:
    """The organisation's metrics kept as rollups (of one source, if given)."""
    metrics = Metric.objects.filter(organisation_id=org_id, kind__in=("count", "sum", "duration"))
    if source is not None:
        metrics = metrics.filter(source=source)
    return [m for m in metrics if is_local(m.source, m.filters, m.measure)]


def _days_q(field: str, days: Collection[dt.date] | None) -> Q:
    if days is None:
        return Q()
    days = sorted(days)
    if len(days) > MAX_LISTED_DAYS:
        return Q(**{f"{field}__range": (days[0], days[-1])})
    return Q(**{f"{field}__in": days})


def _insert(select_sql: str, params: Iterable) -> None:
    table = connection.ops.quote_name(Rollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", list(params))


def _insert_days(metric: Metric, days: Collection[dt.date] | None) -> None:
    spec = SOURCES[metric.source]
    day = spec.dates[metric.date_basis]
    measure = measure_expression(metric)
    rows = (
        spec.model.objects.filter(fact_condition(metric, dt.date.today()), _days_q(day, days))
        .filter(organisation_id=metric.organisation_id, **{f"{spec.owner}__isnull": False})
        .exclude(**{f"{day}__isnull": True})
        .annotate(r_person=F(spec.owner), r_day=F(day))
        .values("r_person", "r_day")
        .annotate(r_n=Count("pk"), r_total=_total(measure))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    _insert(
        f"SELECT %s, %s, r_person, %s, r_day, r_n, r_total FROM ({sql}) AS r",
        [metric.organisation_id, metric.pk, Grain.DAY, *params],
    )


def _total(measure):
    if measure is None:
        return Count("pk")
    decimal = DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(Sum(measure, output_field=decimal), Value(0), output_field=decimal)


def _months(days: Collection[dt.date]) -> list[dt.date]:
    return sorted({day.replace(day=1) for day in days})


def _insert_months(org_id: int, metric_ids: list[int], months: list[dt.date] | None) -> None:
    rows = Rollup.objects.filter(organisation_id=org_id, metric_id__in=metric_ids, grain=Grain.DAY)
    if months is not None:
        covering = Q(pk__in=[])
        for first in months:
            covering |= Q(day__range=(first, period_of(PeriodKind.MONTH, first).end))
        rows = rows.filter(covering)
    rows = (
        rows.annotate(r_month=TruncMonth("day"))
        .values("person_id", "metric_id", "r_month")
        .annotate(r_n=Sum("n"), r_total=Sum("total"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    _insert(
        f"SELECT %s, metric_id, person_id, %s, r_month, r_n, r_total FROM ({sql}) AS r",
        [org_id, Grain.MONTH, *params],
    )


def refresh(org_id: int, source: str, days: Collection[dt.date]) -> None:
    """Recompute the rollups of `source`'s metrics on `days` (and their months) from the facts."""
    days = {day for day in days if day is not None}
    if not days:
        return
    metrics = rolled_metrics(org_id, source)
    if not metrics:
        return
    ids = [m.pk for m in metrics]
    months = _months(days)
    with transaction.atomic():
        rollups = Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids)
        rollups.filter(_days_q("day", days), grain=Grain.DAY).delete()
        rollups.filter(grain=Grain.MONTH, day__in=months).delete()
        for metric in metrics:
            _insert_days(metric, days)
        _insert_months(org_id, ids, months)


def rebuild(
    org_id: int,
    metrics: list[Metric] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every rollup (of `metrics`, else all rolled metrics) from the facts."""
    metrics = rolled_metrics(org_id) if metrics is None else metrics
    metrics = [m for m in metrics if is_local(m.source, m.filters, m.measure)]
    ids = [m.pk for m in metrics]
    with transaction.atomic():
        Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids).delete()
        for done, metric in enumerate(metrics, start=1):
            _insert_days(metric, None)
            if progress:
                progress(done, len(metrics) + 1)
        if ids:
            _insert_months(org_id, ids, None)
        if progress:
            progress(len(metrics) + 1, len(metrics) + 1)
    return Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids).count()


def forget_metric(metric: Metric) -> None:
    """A metric's definition changed: its rollups are rebuilt (or dropped if it is no longer kept)."""
    Rollup.objects.filter(metric_id=metric.pk).delete()
    if metric.source and is_local(metric.source, metric.filters, metric.measure):
        rebuild(metric.organisation_id, [metric])


def fact_days(model, rows: Iterable) -> set[dt.date]:
    """The days of facts that place them in periods (every date basis of their source)."""
    fields = SOURCES[SOURCE_OF_MODEL[model]].dates.values()
    return {getattr(row, f) for row in rows for f in fields} - {None}


@contextmanager
def track_import(stage, org_id: int, source_name: str) -> Iterator[None]:
    """Around an import's merge: the days of the merged facts, before and after, are refreshed.

    `stage` is the ingest staging table (followthrough.ingest.staging.Stage).
    """
    model = stage.kind.model
    source = SOURCE_OF_MODEL.get(model)
    if source is None or not rolled_metrics(org_id, source):
        yield
        return
    before = _staged_days(stage, model, org_id, source_name)
    yield
    refresh(org_id, source, before | _staged_days(stage, model, org_id, source_name))


def _staged_days(stage, model, org_id: int, source_name: str) -> set[dt.date]:
    from django.utils.dateparse import parse_date

    qn = connection.ops.quote_name
    fields = list(SOURCES[SOURCE_OF_MODEL[model]].dates.values())
    table = qn(model._meta.db_table)
    days: set[dt.date] = set()
    for field in fields:
        # IN (subquery), not a join: SQLite would scan the unindexed stage once per fact
        # (16 s for 9,000 activities; the demo's 125,000 took over a quarter of an hour).
        rows = stage.fetch(
            f"SELECT DISTINCT t.{qn(field)} FROM {table} t WHERE t.organisation_id = %s "
            f"AND t.source = %s AND t.external_id IN (SELECT external_id FROM {{stage}})",
            [org_id, source_name],
        )
        for (value,) in rows:
            if isinstance(value, str):
                value = parse_date(value[:10])
            if value is not None:
                days.add(value)
    return days
