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
from django.db.models.functions import Coalesce

from followthrough.crm.models import Activity, Deal, DealStageChange, Lead
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics.choices import Grain, Source
from followthrough.metrics.definitions import SOURCES, is_local, stored_filters
from followthrough.metrics.models import Metric, Rollup
from followthrough.metrics.reading import fact_condition, measure_expression

SOURCE_OF_MODEL = {
    Deal: Source.DEALS,
    Activity: Source.ACTIVITIES,
    Lead: Source.LEADS,
    DealStageChange: Source.STAGE_CHANGES,
}
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


def _insert_days(metrics: list[Metric], days: Collection[dt.date] | None) -> None:
    """Day rows of metrics sharing a source and date, from one pass over the facts.

    The facts are grouped once by (day, owner) with one count and total per
    metric; a cross join with the metric ids then turns each column pair into
    rows, keeping the cells that counted something.
    """
    first = metrics[0]
    spec = SOURCES[first.source]
    day = spec.dates[first.date_basis]
    aggregates = {}
    for index, metric in enumerate(metrics):
        stored = Metric(
            source=metric.source, filters=stored_filters(metric.filters), measure=metric.measure
        )
        condition = fact_condition(stored, dt.date.today())
        aggregates[f"n{index}"] = Count("pk", filter=condition)
        aggregates[f"t{index}"] = _total(measure_expression(metric), condition)
    rows = (
        spec.model.objects.filter(_days_q(day, days))
        .filter(organisation_id=first.organisation_id, **{f"{spec.owner}__isnull": False})
        .exclude(**{f"{day}__isnull": True})
        .annotate(r_person=F(spec.owner), r_day=F(day))
        .values("r_day", "r_person")
        .annotate(**aggregates)
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    # Metric ids are integers from the database, written inline so both databases type them.
    ids = " UNION ALL ".join(f"SELECT {int(m.pk)} AS id" for m in metrics)
    n = " ".join(f"WHEN {int(m.pk)} THEN g.n{i}" for i, m in enumerate(metrics))
    total = " ".join(f"WHEN {int(m.pk)} THEN g.t{i}" for i, m in enumerate(metrics))
    _insert(
        f"SELECT %s, m.id, g.r_person, %s, g.r_day, CASE m.id {n} END, CASE m.id {total} END "
        f"FROM ({sql}) AS g CROSS JOIN ({ids}) AS m WHERE CASE m.id {n} END > 0",
        [first.organisation_id, Grain.DAY, *params],
    )


def _insert_facts(metrics: list[Metric], days: Collection[dt.date] | None) -> None:
    groups: dict[tuple[str, str], list[Metric]] = {}
    for metric in metrics:
        groups.setdefault((metric.source, metric.date_basis), []).append(metric)
    for group in groups.values():
        _insert_days(group, days)


def _total(measure, condition: Q):
    if measure is None:
        return Count("pk", filter=condition)
    decimal = DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(
        Sum(measure, filter=condition, output_field=decimal), Value(0), output_field=decimal
    )


def _months(days: Collection[dt.date]) -> list[dt.date]:
    return sorted({day.replace(day=1) for day in days})


def _month_of_day() -> str:
    if connection.vendor == "postgresql":
        return "CAST(date_trunc('month', day) AS date)"
    return "substr(day, 1, 8) || '01'"  # days are stored as YYYY-MM-DD text


def _insert_months(org_id: int, metric_ids: list[int], months: list[dt.date] | None) -> None:
    ops = connection.ops
    table = ops.quote_name(Rollup._meta.db_table)
    marks = ", ".join(["%s"] * len(metric_ids))
    where, params = "", []
    if months is not None:
        ranges = []
        for first in months:
            ranges.append("day BETWEEN %s AND %s")
            last = period_of(PeriodKind.MONTH, first).end
            params += [ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)]
        where = f" AND ({' OR '.join(ranges)})"
    _insert(
        f"SELECT organisation_id, metric_id, person_id, %s, {_month_of_day()}, SUM(n), "
        f"SUM(total) FROM {table} WHERE organisation_id = %s AND grain = %s "
        f"AND metric_id IN ({marks}){where} "
        f"GROUP BY organisation_id, metric_id, person_id, {_month_of_day()}",
        [Grain.MONTH, org_id, Grain.DAY, *metric_ids, *params],
    )


def _delete(rows) -> None:
    # Rollups have no signals or dependants: one DELETE, not Django's collect-then-delete.
    rows._raw_delete(rows.db)


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
        _delete(rollups.filter(_days_q("day", days), grain=Grain.DAY))
        _delete(rollups.filter(grain=Grain.MONTH, day__in=months))
        _insert_facts(metrics, days)
        _insert_months(org_id, ids, months)


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Around a rebuild of most of the rollups: the table's indexes are built again after it.

    Inserting millions of rows into three wide B-trees costs random page writes per row
    and index once they outgrow the cache, and PostgreSQL queues a deferred foreign key
    check per row and key (a full-size build ran for over 20 minutes). Dropping them and
    adding them back after costs one sort per index and one join per key. It all happens
    in one transaction, so a failure leaves the table as it was, but readers of the
    table wait until it ends: for a first fill, a benchmark or a maintenance window.
    """
    drop, create = _bulk_ddl()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Foreign key checks still queued in the transaction forbid altering the tables
            # involved: run them now (the keys stay deferred afterwards).
            connection.check_constraints()
            # Enough memory to aggregate the facts and sort each index without spilling.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for statement in drop:
            cursor.execute(statement)
        yield
        for statement in create:
            cursor.execute(statement)
        analyse()


def _bulk_ddl() -> tuple[list[str], list[str]]:
    """Statements dropping the rollup table's indexes and keys, and re-creating them.

    Definitions are read from the database's catalog, so they come back exactly as the
    migrations made them.
    """
    qn = connection.ops.quote_name
    table = Rollup._meta.db_table
    drop, create = [], []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
                [table],
            )
            keys = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN "
                "('p', 'u') AND conrelid = %s::regclass)",
                [table, table],
            )
            indexes = cursor.fetchall()
            for name, _, definition in keys:
                drop.append(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                create.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
        else:
            # SQLite checks a foreign key by one primary key look-up, and keeps the unique
            # constraint inside the table's definition: only the plain indexes go.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                [table],
            )
            indexes = cursor.fetchall()
    for name, definition in indexes:
        drop.append(f"DROP INDEX {qn(name)}")
        create.append(definition)
    return drop, create


def rebuild(
    org_id: int,
    metrics: list[Metric] | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    bulk: bool = False,
) -> int:
    """Recompute every rollup (of `metrics`, else all rolled metrics) from the facts.

    `bulk`: inside `bulk_writes` (indexes built after the rows; the table locked meanwhile).
    """
    if bulk:
        with bulk_writes():
            return rebuild(org_id, metrics, progress)
    metrics = rolled_metrics(org_id) if metrics is None else metrics
    metrics = [m for m in metrics if is_local(m.source, m.filters, m.measure)]
    ids = [m.pk for m in metrics]
    if connection.vendor == "sqlite":
        # Rows go to one index tail per person and metric: a small page cache thrashes.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -400000")
    with transaction.atomic():
        _delete(Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids))
        groups: dict[tuple[str, str], list[Metric]] = {}
        for metric in metrics:
            groups.setdefault((metric.source, metric.date_basis), []).append(metric)
        for done, group in enumerate(groups.values(), start=1):
            _insert_days(group, None)
            if progress:
                progress(done, len(groups) + 1)
        if ids:
            _insert_months(org_id, ids, None)
        if progress:
            progress(len(groups) + 1, len(groups) + 1)
    analyse()
    return Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids).count()


def analyse() -> None:
    """Refresh the query planner's statistics of the rollup table after a bulk rebuild."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(Rollup._meta.db_table)}")


def forget_metric(metric: Metric) -> None:
    """A metric's definition changed: its rollups are rebuilt (or dropped if it is no longer kept)."""
    _delete(Rollup.objects.filter(organisation_id=metric.organisation_id, metric_id=metric.pk))
    if metric.source and is_local(metric.source, metric.filters, metric.measure):
        rebuild(metric.organisation_id, [metric])


def fact_days(model, rows: Iterable) -> set[dt.date]:
    """The days of facts that place them in periods (every date basis of their source)."""
    fields = SOURCES[SOURCE_OF_MODEL[model]].dates.values()
    return {getattr(row, f) for row in rows for f in fields} - {None}


def stage_change_days(deal_ids: Iterable[int]) -> set[dt.date]:
    """Days of the stage changes of these deals (their owner may have changed)."""
    ids = list(deal_ids)
    days: set[dt.date] = set()
    for start in range(0, len(ids), 500):
        days |= set(
            DealStageChange.objects.filter(deal_id__in=ids[start : start + 500])
            .values_list("changed_on", flat=True)
            .distinct()
        )
    return days


@contextmanager
def track_import(stage, org_id: int, source_name: str) -> Iterator[None]:
    """Around an import's merge: the days of the merged facts, before and after, are refreshed.

    `stage` is the ingest staging table (followthrough.ingest.staging.Stage).
    """
    model = stage.kind.model
    source = SOURCE_OF_MODEL.get(model)
    if source is None:
        yield
        return
    if model is DealStageChange:
        yield
        if transaction.get_rollback():
            return
        refresh(org_id, source, _staged_column_days(stage, "changed_on"))
        return
    follow_owner = model is Deal and bool(rolled_metrics(org_id, Source.STAGE_CHANGES))
    if not rolled_metrics(org_id, source) and not follow_owner:
        yield
        return
    before = _staged_days(stage, model, org_id, source_name)
    yield
    if transaction.get_rollback():
        return  # a dry run: nothing of the merge is kept, so nothing to refresh
    refresh(org_id, source, before | _staged_days(stage, model, org_id, source_name))
    if follow_owner:
        deals = Deal.objects.filter(organisation_id=org_id, source=source_name)
        staged = [row[0] for row in stage.fetch("SELECT external_id FROM {stage}")]
        ids = []
        for start in range(0, len(staged), 500):
            chunk = staged[start : start + 500]
            ids += list(deals.filter(external_id__in=chunk).values_list("pk", flat=True))
        refresh(org_id, Source.STAGE_CHANGES, stage_change_days(ids))


def _as_day(value) -> dt.date | None:
    from django.utils.dateparse import parse_date

    if isinstance(value, str):
        return parse_date(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _staged_column_days(stage, column: str) -> set[dt.date]:
    qn = connection.ops.quote_name
    rows = stage.fetch(f"SELECT DISTINCT {qn(column)} FROM {{stage}}")
    return {day for (value,) in rows if (day := _as_day(value)) is not None}


def _staged_days(stage, model, org_id: int, source_name: str) -> set[dt.date]:
    qn = connection.ops.quote_name
    fields = list(SOURCES[SOURCE_OF_MODEL[model]].dates.values())
    table = qn(model._meta.db_table)
    days: set[dt.date] = set()
    for field in fields:
        rows = stage.fetch(
            # IN, not a join: with a join SQLite may scan the staging table (no index)
            # once per fact, which took minutes for the demo's 100,000 activities.
            f"SELECT DISTINCT t.{qn(field)} FROM {table} t WHERE t.organisation_id = %s "
            f"AND t.source = %s AND t.external_id IN (SELECT external_id FROM {{stage}})",
            [org_id, source_name],
        )
        days |= {day for (value,) in rows if (day := _as_day(value)) is not None}
    return days
