"""Keeping the rollups of additive metrics equal to the facts, incrementally.

A rollup row holds one metric's count and total for one person over one
calendar month, or one calendar quarter (the sum of its months: a quarter is
the period read most, and one row per person and metric reads three times
faster than three). Periods are read as whole quarters and months from the
rollups plus the days of any partial month from the facts (see reading.py), so
an import of a million activities writes a few tens of thousands of rollup
rows, not millions.

When facts change, the (person, month) cells they touched, before and after
the change, are recomputed from the facts in set-based INSERT ... SELECT
statements. Recomputing whole cells, rather than adding and subtracting
deltas, keeps the rollups exact whatever the order of writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, DateField, DecimalField, F, Func, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.dateparse import parse_date

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
COLUMNS = ("organisation_id", "metric_id", "person_id", "grain", "day", "n", "total")
# Above this many people in one month, the month is recomputed for everyone: one range
# scan beats a very long IN list.
MAX_LISTED_PEOPLE = 100
# A first import adds up its new facts' counts this many facts at a time (see
# ImportTracker.added): each time costs a row per person, month and metric.
ADD_UP_EVERY = 200_000
EVERYONE = None

# {first day of a month: the people whose cells to recompute, or EVERYONE}
Cells = dict[dt.date, set[int] | None]


class MonthStart(Func):
    """The first day of a date's month, as the database stores dates."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        day, params = compiler.compile(self.source_expressions[0])
        return month_sql(day), params


def quarter_sql(column: str) -> str:
    """The first day of a date's calendar quarter, in plain SQL."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('quarter', {column}) AS date)"
    month = f"substr({column}, 6, 2)"
    return (
        f"(substr({column}, 1, 5) || CASE WHEN {month} <= '03' THEN '01' "
        f"WHEN {month} <= '06' THEN '04' WHEN {month} <= '09' THEN '07' ELSE '10' END || '-01')"
    )


def month_sql(column: str) -> str:
    """MonthStart in plain SQL, for the statements the import hook writes by hand."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"(substr({column}, 1, 8) || '01')"  # SQLite keeps dates as YYYY-MM-DD text


def add_cell(cells: Cells, person_id: int | None, day) -> None:
    """Mark `person_id`'s month of `day` (a date or YYYY-MM-DD text) for recomputing."""
    month = _as_day(day)
    if month is None:
        return
    month = month.replace(day=1)
    people = cells.setdefault(month, set())
    if people is EVERYONE:
        return
    if person_id is None or len(people) >= MAX_LISTED_PEOPLE:
        cells[month] = EVERYONE
    else:
        people.add(person_id)


def merge_cells(*many: Cells) -> Cells:
    merged: Cells = {}
    for cells in many:
        for month, people in cells.items():
            if people is EVERYONE:
                merged[month] = EVERYONE
            else:
                for person_id in people:
                    add_cell(merged, person_id, month)
    return merged


def rolled_metrics(org_id: int, source: str | None = None) -> list[Metric]:
    """The organisation's metrics kept as rollups (of one source, if given)."""
    metrics = Metric.objects.filter(organisation_id=org_id, kind__in=("count", "sum", "duration"))
    if source is not None:
        metrics = metrics.filter(source=source)
    return [m for m in metrics if is_local(m.source, m.filters, m.measure)]


class Unindexed(Func):
    """A column SQLite will not look up by index (unary plus): for scans of most of a table.

    Recomputing every cell of many months reads most of an organisation's facts; by
    the day index SQLite would then fetch them in random order, twice as slow as in
    table order.
    """

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"+{sql}", params


def _month_ranges(months: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) ranges covering `months`, neighbouring months in one range."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for first in sorted(months):
        last = period_of(PeriodKind.MONTH, first).end
        if ranges and ranges[-1][1] + dt.timedelta(days=1) == first:
            ranges[-1] = (ranges[-1][0], last)
        else:
            ranges.append((first, last))
    return ranges


def _insert(select_sql: str, params: Iterable) -> None:
    table = connection.ops.quote_name(Rollup._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {select_sql}", list(params))


def _insert_months(
    metrics: list[Metric], months: Iterable[dt.date] | None, people: set[int] | None
) -> None:
    """Month rows of metrics sharing a source and date, from one pass over the facts.

    The facts are grouped once by (month, owner) with one count and total per
    metric; a cross join with the metric ids then turns each column pair into
    rows, keeping the cells that counted something.
    """
    groups = _month_groups(metrics, months, people)
    _insert(groups.rows(f"({groups.sql})"), [*groups.row_params, *groups.params])


@dataclass
class MonthGroups:
    """The facts grouped by (month, owner): one row per cell, a count or total per column."""

    sql: str  # SELECT r_month, r_person, then the `aggregates` columns
    params: list
    aggregates: list[str]
    row_sql: str  # turns the groups, from `{groups}` AS g, into rollup rows (COLUMNS)
    row_params: list

    def rows(self, groups: str) -> str:
        return self.row_sql.replace("{groups}", groups)


def _month_groups(
    metrics: list[Metric],
    months: Iterable[dt.date] | None,
    people: set[int] | None,
    after_id: int | None = None,
) -> MonthGroups:
    """The (month, owner) groups of facts for metrics sharing a source and date.

    One aggregate per distinct count or sum. `after_id`: only the facts with a
    larger id, read in table order.
    """
    first = metrics[0]
    spec = SOURCES[first.source]
    day = spec.dates[first.date_basis]
    # One aggregate per distinct count or sum: a plain count's total is its count, and
    # metrics that count the same facts share a column (each costs a pass per fact).
    aggregates: dict[str, object] = {}
    names: dict[str, str] = {}
    n_of, total_of = [], []
    for metric in metrics:
        stored = Metric(
            source=metric.source, filters=stored_filters(metric.filters), measure=metric.measure
        )
        condition = fact_condition(stored, dt.date.today())
        n_of.append(_aggregate(aggregates, names, Count("pk", filter=condition)))
        measure = measure_expression(metric)
        total_of.append(
            n_of[-1]
            if measure is None
            else _aggregate(aggregates, names, _total(measure, condition))
        )
    rows = spec.model.objects.all()
    if after_id is None:
        rows = rows.filter(organisation_id=first.organisation_id)
    else:
        # New facts by their ids, not through an index leading with the organisation.
        rows = rows.annotate(r_org=Unindexed(F("organisation_id")))
        rows = rows.filter(pk__gt=after_id, r_org=first.organisation_id)
    rows = rows.filter(**{f"{spec.owner}__isnull": False}).exclude(**{f"{day}__isnull": True})
    if people is not EVERYONE:
        rows = rows.filter(**{f"{spec.owner}__in": sorted(people)})
    if months is not None:
        # A few people: by the day index. Everyone: in table order (see Unindexed).
        rows = rows.annotate(r_placed=F(day) if people is not EVERYONE else Unindexed(day))
        within = Q(pk__in=[])
        for start, end in _month_ranges(months):
            within |= Q(r_placed__range=(start, end))
        rows = rows.filter(within)
    rows = (
        rows.annotate(r_person=F(spec.owner), r_month=MonthStart(day))
        .values("r_month", "r_person")
        .annotate(**aggregates)
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    # Metric ids are integers from the database, written inline so both databases type them.
    ids = " UNION ALL ".join(f"SELECT {int(m.pk)} AS id" for m in metrics)
    n = " ".join(f"WHEN {int(m.pk)} THEN g.{n_of[i]}" for i, m in enumerate(metrics))
    total = " ".join(f"WHEN {int(m.pk)} THEN g.{total_of[i]}" for i, m in enumerate(metrics))
    return MonthGroups(
        sql,
        list(params),
        list(aggregates),
        f"SELECT %s, m.id, g.r_person, %s, g.r_month, CASE m.id {n} END, CASE m.id {total} END "
        f"FROM {{groups}} AS g CROSS JOIN ({ids}) AS m WHERE CASE m.id {n} END > 0",
        [first.organisation_id, Grain.MONTH],
    )


def _insert_quarters(
    org_id: int, metric_ids: list[int], quarters: list[dt.date] | None, people: set[int] | None
) -> None:
    """Quarter rows summed from the month rows (of `quarters` and `people`, else all)."""
    qn = connection.ops.quote_name
    ops = connection.ops
    where, params = "", []
    if quarters is not None:
        ranges = []
        for first in quarters:
            ranges.append("day BETWEEN %s AND %s")
            last = period_of(PeriodKind.QUARTER, first).end
            params += [ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)]
        where += f" AND ({' OR '.join(ranges)})"
    if people is not EVERYONE:
        where += f" AND person_id IN ({', '.join(['%s'] * len(people))})"
        params += sorted(people)
    quarter = quarter_sql("day")
    _insert(
        f"SELECT organisation_id, metric_id, person_id, %s, {quarter}, SUM(n), SUM(total) "
        f"FROM {qn(Rollup._meta.db_table)} WHERE organisation_id = %s AND grain = %s "
        f"AND metric_id IN ({', '.join(['%s'] * len(metric_ids))}){where} "
        f"GROUP BY organisation_id, metric_id, person_id, {quarter}",
        [Grain.QUARTER, org_id, Grain.MONTH, *metric_ids, *params],
    )


def _by_date(metrics: list[Metric]) -> list[list[Metric]]:
    groups: dict[tuple[str, str], list[Metric]] = {}
    for metric in metrics:
        groups.setdefault((metric.source, metric.date_basis), []).append(metric)
    return list(groups.values())


def _aggregate(aggregates: dict, names: dict, expression) -> str:
    """The column computing `expression`, added unless an identical one is there."""
    key = repr(expression)
    if key not in names:
        names[key] = f"a{len(names)}"
        aggregates[names[key]] = expression
    return names[key]


def _total(measure, condition: Q):
    decimal = DecimalField(max_digits=20, decimal_places=2)
    return Coalesce(
        Sum(measure, filter=condition, output_field=decimal), Value(0), output_field=decimal
    )


def _delete(rows) -> None:
    # Rollups have no signals or dependants: one DELETE, not Django's collect-then-delete.
    rows._raw_delete(rows.db)


def refresh(org_id: int, source: str, cells: Cells) -> None:
    """Recompute the rollups of `source`'s metrics in `cells` from the facts."""
    if not cells:
        return
    metrics = rolled_metrics(org_id, source)
    if not metrics:
        return
    ids = [m.pk for m in metrics]
    # Months with the same people go in one statement (a bulk import touches the same
    # people every month: one pass over its facts, not one per month).
    same: dict[frozenset[int] | None, list[dt.date]] = {}
    for month, people in sorted(cells.items()):
        same.setdefault(None if people is EVERYONE else frozenset(people), []).append(month)
    passes = [(months, None if people is None else set(people)) for people, months in same.items()]
    rollups = Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids)
    with transaction.atomic():
        for months, people in passes:
            quarters = sorted({period_of(PeriodKind.QUARTER, m).start for m in months})
            cell = rollups.filter(
                Q(grain=Grain.MONTH, day__in=months) | Q(grain=Grain.QUARTER, day__in=quarters)
            )
            if people is not EVERYONE:
                cell = cell.filter(person_id__in=sorted(people))
            _delete(cell)
            for group in _by_date(metrics):
                _insert_months(group, months, people)
            _insert_quarters(org_id, ids, quarters, people)


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
    groups = _by_date(metrics)
    with transaction.atomic():
        _delete(Rollup.objects.filter(organisation_id=org_id, metric_id__in=ids))
        for done, group in enumerate(groups, start=1):
            _insert_months(group, None, EVERYONE)
            if progress:
                progress(done, len(groups) + 1)
        if ids:
            _insert_quarters(org_id, ids, None, EVERYONE)
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


def _owner_of(row, path: str) -> int | None:
    """The owner id of a fact, following `deal__owner_id` style paths."""
    *hops, last = path.split("__")
    for hop in hops:
        row = getattr(row, hop, None)
        if row is None:
            return None
    return getattr(row, last, None)


def fact_cells(model, rows: Iterable) -> Cells:
    """The cells of facts: their owner's months of every date basis of their source."""
    spec = SOURCES[SOURCE_OF_MODEL[model]]
    cells: Cells = {}
    for row in rows:
        owner = _owner_of(row, spec.owner)
        if owner is None:
            continue
        for field in spec.dates.values():
            add_cell(cells, owner, getattr(row, field))
    return cells


def stage_change_cells(deal_ids: Iterable[int], owners: Iterable[int | None]) -> Cells:
    """The months of these deals' stage changes, for each of `owners` (old and new)."""
    ids = list(deal_ids)
    owners = [o for o in owners if o is not None]
    cells: Cells = {}
    for start in range(0, len(ids), 500):
        days = (
            DealStageChange.objects.filter(deal_id__in=ids[start : start + 500])
            .annotate(month=MonthStart("changed_on"))
            .values_list("month", flat=True)
            .distinct()
        )
        for day in days:
            for owner in owners:
                add_cell(cells, owner, day)
    return cells


class ImportTracker:
    """Around an import's merges: the cells of the facts they change, before and after, are refreshed.

    `stage` is the ingest staging table (followthrough.ingest.staging.Stage). Call
    `before_merge` before each merge, while the stage shows the rows about to be
    merged: both sides of a cell are read then, from the staged rows that are new
    or differ from what is stored, so re-importing unchanged rows costs no recompute.
    Call `refresh` once, after the last merge.
    """

    def __init__(
        self, stage, org_id: int, source_name: str, first: bool = False, ids_known: bool = False
    ):
        self.stage, self.org_id, self.source_name = stage, org_id, source_name
        model = stage.kind.model
        self.source = SOURCE_OF_MODEL.get(model)
        self.cells: Cells = {}
        self.moved: Cells = {}
        self.follow_deal = (
            model is Deal
            and self.source is not None
            and bool(rolled_metrics(org_id, Source.STAGE_CHANGES))
        )
        self.tracked = self.source is not None and (
            model is DealStageChange
            or self.follow_deal
            or bool(rolled_metrics(org_id, self.source))
        )
        self.metrics = rolled_metrics(org_id, self.source) if self.source else []
        facts = self.tracked and model is not DealStageChange
        # `first`: nothing of the source is stored to compare with. Every row is new,
        # through all the merges (a row repeating an earlier one is refused). When the
        # merges tell which facts they added (`ids_known`), their counts are added up
        # as they go (see `added`); otherwise their cells are seen as they are staged.
        # Either way no staged row is looked up among the facts.
        self.adding = facts and first and ids_known
        # Temporary tables adding up a first import's new facts, by date of the source.
        self.delta: dict[int, MonthGroups] = {}
        self.pending: tuple[int, int] | None = None  # (after which id, how many) not added yet
        self.seen: set[tuple[int, str]] | None = None
        if facts and first and not ids_known:
            spec = SOURCES[self.source]
            owner = model._meta.get_field(spec.owner.removesuffix("_id")).column
            dates = [model._meta.get_field(f).column for f in spec.dates.values()]
            if all(c in stage.columns for c in (owner, *dates)):
                self.seen = set()
                self.places = [stage.columns.index(c) for c in (owner, *dates)]

    def added(self, after_id: int, rows: int) -> None:
        """After each merge of a first import: it added `rows` facts with ids above `after_id`.

        Their counts and sums are added up in temporary tables every ADD_UP_EVERY
        new facts, and added to the rollups at the end. A first import only adds
        facts, so that is the same as recomputing its cells, which would read every
        fact of them again after the last merge; this way most of it is done while
        the file is still being read (see ingest/importer.py).
        """
        if not self.adding:
            return
        if self.pending is None:
            self.pending = (after_id, 0)
        self.pending = (self.pending[0], self.pending[1] + rows)
        if self.pending[1] >= ADD_UP_EVERY:
            self._add_up()

    def _add_up(self) -> None:
        """Add the groups of the facts pending since the last time to the temporary tables.

        One table per date of the source, one row per (month, owner), a column per
        count or sum: turned into rollup rows once, at the end.
        """
        if self.pending is None:
            return
        after_id, self.pending = self.pending[0], None
        qn = connection.ops.quote_name
        for index, metrics in enumerate(_by_date(self.metrics)):
            groups = _month_groups(metrics, None, EVERYONE, after_id)
            table = qn(f"{self.stage.name}_rollups_{index}")
            names = ", ".join(qn(c) for c in ["r_month", "r_person", *groups.aggregates])
            with connection.cursor() as cursor:
                if index not in self.delta:
                    cursor.execute(
                        f"CREATE TEMPORARY TABLE {table} ({names}, UNIQUE (r_month, r_person))"
                    )
                    self.delta[index] = groups
                add = ", ".join(f"{qn(a)} = {qn(a)} + excluded.{qn(a)}" for a in groups.aggregates)
                cursor.execute(
                    f"INSERT INTO {table} ({names}) SELECT {names} FROM ({groups.sql}) AS g "
                    f"WHERE true ON CONFLICT (r_month, r_person) DO UPDATE SET {add}",
                    groups.params,
                )

    def _drop_delta(self) -> None:
        with connection.cursor() as cursor:
            for index in self.delta:
                name = connection.ops.quote_name(f"{self.stage.name}_rollups_{index}")
                cursor.execute(f"DROP TABLE {name}")
        self.delta = {}

    def _add_delta(self) -> None:
        """Add up the new facts' month rows into the rollups; their quarters are recomputed."""
        qn = connection.ops.quote_name
        table = qn(Rollup._meta.db_table)
        columns = ", ".join(qn(c) for c in COLUMNS)
        with connection.cursor() as cursor:
            for index, groups in self.delta.items():
                delta = qn(f"{self.stage.name}_rollups_{index}")
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) {groups.rows(delta)} "
                    f"ON CONFLICT (organisation_id, metric_id, grain, day, person_id) DO UPDATE "
                    f"SET n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                    groups.row_params,
                )
            cells = set()
            for index in self.delta:
                delta = qn(f"{self.stage.name}_rollups_{index}")
                cursor.execute(f"SELECT DISTINCT r_month, r_person FROM {delta}")
                cells.update(cursor.fetchall())
        self._drop_delta()
        if not cells:
            return
        quarters = sorted({period_of(PeriodKind.QUARTER, _as_day(m)).start for m, _ in cells})
        people = {person for _, person in cells}
        if len(people) > MAX_LISTED_PEOPLE:
            people = EVERYONE
        ids = [m.pk for m in self.metrics]
        cell = Rollup.objects.filter(
            organisation_id=self.org_id, metric_id__in=ids, grain=Grain.QUARTER, day__in=quarters
        )
        if people is not EVERYONE:
            cell = cell.filter(person_id__in=sorted(people))
        _delete(cell)
        _insert_quarters(self.org_id, ids, quarters, people)

    def see(self, rows: list) -> None:
        """Staged rows, in stage column order: their (owner, month) pairs, on a first import
        whose merges cannot tell which facts they added (PostgreSQL)."""
        if self.seen is None:
            return
        owner, *dates = self.places
        for day in dates:
            # A day is staged as YYYY-MM-DD text or a date: str() gives the same either way.
            self.seen.update(
                {(row[owner], str(row[day])[:7]) for row in rows if row[owner] and row[day]}
            )

    def before_merge(self) -> None:
        model = self.stage.kind.model
        if not self.tracked or model is DealStageChange or self.adding or self.seen is not None:
            return  # stage changes are only added: their months are read after the merge
        stage, org_id, source_name = self.stage, self.org_id, self.source_name
        self.cells = merge_cells(self.cells, _changing_cells(stage, model, org_id, source_name))
        if self.follow_deal:
            moved = _stage_changes_of_changing_deals(stage, org_id, source_name)
            self.moved = merge_cells(self.moved, moved)

    def moves_added(self, day: dt.date) -> None:
        """The merge recorded stage moves of deals on `day`: that month's cells are due."""
        if self.follow_deal:
            add_cell(self.moved, EVERYONE, day)

    def refresh(self) -> None:
        if not self.tracked or transaction.get_rollback():
            return  # a dry run: nothing of the merge is kept, so nothing to refresh
        if self.stage.kind.model is DealStageChange:
            refresh(self.org_id, self.source, _staged_months(self.stage, "changed_on"))
            return
        if self.adding:
            self._add_up()
            if self.delta:
                self._add_delta()
            return
        for owner, month in self.seen or ():
            add_cell(self.cells, owner, f"{month}-01")
        refresh(self.org_id, self.source, self.cells)
        refresh(self.org_id, Source.STAGE_CHANGES, self.moved)


def _as_day(value) -> dt.date | None:
    if isinstance(value, str):
        return _day_of_text(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@functools.lru_cache(maxsize=4096)
def _day_of_text(value: str) -> dt.date | None:
    # Remembered: an import's cells name the same few hundred months again and again.
    return parse_date(value)


def _staged_months(stage, column: str) -> Cells:
    qn = connection.ops.quote_name
    cells: Cells = {}
    for (month,) in stage.fetch(f"SELECT DISTINCT {month_sql(qn(column))} FROM {{stage}}"):
        add_cell(cells, EVERYONE, month)
    return cells


def _side(stage, alias: str, column: str) -> str:
    """A fact column after the merge: the staged value if the file has it, else the stored one."""
    qn = connection.ops.quote_name
    if alias == "s" and column not in stage.columns:
        alias = "t"
    return f"{alias}.{qn(column)}"


def _changing_cells(stage, model, org_id: int, source_name: str) -> Cells:
    """Cells of the staged rows that are new or changed: where they were and where they go."""
    qn = connection.ops.quote_name
    spec = SOURCES[SOURCE_OF_MODEL[model]]
    owner = model._meta.get_field(spec.owner.removesuffix("_id")).column
    dates = [model._meta.get_field(f).column for f in spec.dates.values()]
    picks = []
    for alias in ("t", "s"):
        picks.append(_side(stage, alias, owner))
        picks += [month_sql(_side(stage, alias, d)) for d in dates]
    rows = stage.fetch(
        f"SELECT DISTINCT {', '.join(picks)} FROM {{stage}} s "
        f"LEFT JOIN {qn(model._meta.db_table)} t ON t.organisation_id = %s AND t.source = %s "
        f"AND t.external_id = s.external_id WHERE t.id IS NULL OR {stage.changed_sql('t', 's')}",
        [org_id, source_name],
    )
    cells: Cells = {}
    width = 1 + len(dates)
    for row in rows:
        for side in (row[:width], row[width:]):
            if side[0] is not None:
                for month in side[1:]:
                    add_cell(cells, side[0], month)
    return cells


def _stage_changes_of_changing_deals(stage, org_id: int, source_name: str) -> Cells:
    """A stage change counts for its deal's owner and amount: follow changes of either."""
    qn = connection.ops.quote_name
    changed = [
        f"t.{qn(c)} IS DISTINCT FROM s.{qn(c)}"
        for c in ("owner_id", "amount")
        if c in stage.columns
    ]
    if not changed:
        return {}
    rows = stage.fetch(
        f"SELECT DISTINCT t.owner_id, {_side(stage, 's', 'owner_id')}, "
        f"{month_sql('c.changed_on')} FROM {{stage}} s "
        f"JOIN {qn(Deal._meta.db_table)} t ON t.organisation_id = %s AND t.source = %s "
        f"AND t.external_id = s.external_id "
        f"JOIN {qn(DealStageChange._meta.db_table)} c ON c.deal_id = t.id "
        f"WHERE {' OR '.join(changed)}",
        [org_id, source_name],
    )
    cells: Cells = {}
    for old, new, month in rows:
        for owner in (old, new):
            if owner is not None:
                add_cell(cells, owner, month)
    return cells
