"""Set-based writing: parsed rows go to a temporary table, then into the facts in one statement.

Streaming rows into a staging table keeps memory flat whatever the file size,
lets the database find duplicates and count created/updated/unchanged rows,
and turns the upsert into a single INSERT ... SELECT ... ON CONFLICT, which
SQLite and PostgreSQL both run far faster than row-by-row saves.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from itertools import chain

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models

from followthrough.ingest.kinds import Field, Kind
from followthrough.ingest.parsing import usable_cores


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def adapt_rows(rows: Iterable[Sequence]) -> Iterable[Sequence]:
    """Values as the database driver should receive them (SQLite stores text dates)."""
    if connection.vendor != "sqlite":
        return rows
    return [[_sqlite_value(v) for v in row] for row in rows]


# Bound values per statement: SQLite's limit (32766 since 3.32, 999 before).
SQLITE_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999

GENERIC_TYPES = {
    vendor: {
        "text": "text",
        "int": "integer",
        "decimal": "numeric",
        "date": "date",
        "datetime": "datetime" if vendor == "sqlite" else "timestamp with time zone",
        "bool": "boolean",
        "choice": "text",
        "ref": "bigint",
    }
    for vendor in ("sqlite", "postgresql")
}


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class Stage:
    """A temporary table holding one file's parsed rows until they are merged."""

    def __init__(self, name: str, kind: Kind, fields: list[Field], derived: list[str]):
        self.name = name
        self.kind = kind
        self.fields = fields
        self.derived = derived
        self.columns = ["row_no"] + [self.stage_column(f) for f in fields] + derived
        # (first, last) row numbers that `{stage}` stands for while merging part of a file.
        self.window: tuple[int, int] | None = None

    def stage_column(self, field: Field) -> str:
        return field.column if field.type == "ref" and not self.is_self_ref(field) else field.name

    def is_self_ref(self, field: Field) -> bool:
        """A reference to the kind being imported: resolved only after the merge."""
        return field.type == "ref" and f"{field.ref}s" == self.kind.name

    def _type(self, column: str) -> str:
        if column == "row_no":
            # On SQLite the row number is the rowid: rows are kept in file order, so the
            # merge's ORDER BY row_no needs no sort (a third of its time on a large file).
            return "integer PRIMARY KEY" if connection.vendor == "sqlite" else "integer"
        spec = {self.stage_column(f): f for f in self.fields}.get(column)
        if spec is not None and self.is_self_ref(spec):
            return "text"  # the source's key of the referenced row
        name = column[:-3] if column.endswith("_id") else column
        try:
            model_field = self.kind.model._meta.get_field(name)
        except FieldDoesNotExist:
            return GENERIC_TYPES[connection.vendor][spec.type if spec else "text"]
        if model_field.is_relation:
            return model_field.target_field.rel_db_type(connection)
        return model_field.db_type(connection)

    def create(self) -> None:
        columns = ", ".join(f"{quote(c)} {self._type(c)}" for c in self.columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(self.name)}")
            cursor.execute(f"CREATE TEMPORARY TABLE {quote(self.name)} ({columns})")

    def insert(self, rows: list[Sequence]) -> None:
        """Add parsed rows: (row number, *field values, *derived values), in column order."""
        if not rows:
            return
        if connection.vendor == "postgresql":
            # COPY streams the batch in one go; INSERTs would make a round trip per row.
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {quote(self.name)} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        # Many rows per INSERT, through the driver itself: per statement, Python's sqlite3
        # costs about as much as binding the values; executemany runs one per row.
        connection.ensure_connection()
        db = connection.connection
        width = len(self.columns)
        per = min(len(rows), SQLITE_VARIABLES // width)
        one = "(" + ", ".join(["?"] * width) + ")"
        insert = f"INSERT INTO {quote(self.name)} VALUES "
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            db.execute(insert + ", ".join([one] * len(chunk)), list(chain.from_iterable(chunk)))

    def model_columns(self) -> list[str]:
        """Staged columns the fact table has too (the key and row number aside)."""
        stored = {f.column for f in fact_columns(self.kind.model)}
        return [c for c in self.columns[1:] if c != "external_id" and c in stored]

    def changed_sql(self, fact: str = "t", staged: str = "s") -> str:
        """SQL true where a staged row differs from the stored fact it matches."""
        columns = self.model_columns()
        return changed_condition(fact, columns, staged) if columns else "1 = 0"

    def analyze(self) -> None:
        """Statistics for the planner: autovacuum never analyzes temporary tables."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {quote(self.name)}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(self.name)}")

    @contextmanager
    def rows_between(self, first: int, last: int) -> Iterator[None]:
        """Within this block, queries on `{stage}` see only rows `first` to `last`."""
        self.window = (first, last)
        try:
            yield
        finally:
            self.window = None

    def _sql(self, sql: str) -> str:
        table = quote(self.name)
        if self.window is not None:
            first, last = (int(n) for n in self.window)
            table = f"(SELECT * FROM {table} WHERE row_no BETWEEN {first} AND {last})"
        return sql.replace("{stage}", table)

    def fetch(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.fetchall()

    def execute(self, sql: str, params: Sequence = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(self._sql(sql), params)
            return cursor.rowcount

    def duplicates(self, key: str = "external_id") -> list[tuple[int, str, int]]:
        """(row, key, first row) of every row repeating an earlier row's key."""
        return self.fetch(
            f"SELECT s.row_no, s.{quote(key)}, f.first FROM {{stage}} s JOIN ("
            f"SELECT {quote(key)} AS k, MIN(row_no) AS first FROM {{stage}} "
            f"GROUP BY {quote(key)} HAVING COUNT(*) > 1) f ON f.k = s.{quote(key)} "
            f"WHERE s.row_no <> f.first ORDER BY s.row_no"
        )

    def drop_rows(self, rows: list[int]) -> None:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            self.execute(f"DELETE FROM {{stage}} WHERE row_no IN ({marks})", chunk)


# SQLite's page cache while one import writes: the merge touches every index of the
# fact table, and a 2 MB cache (the default) makes it read the same pages again and again.
# Temporary tables (the stage) and sorts stay in SQLite's default temporary files, which
# the operating system keeps in memory while it can: the sorter then sorts in runs the
# size of the cache, in one block each. With temp_store = MEMORY it allocates every
# sorted row on its own, and grouping a file's rows for the rollups (see
# metrics.rollups.ImportTracker) and building an index took a fifth longer.
IMPORT_CACHE_KIB = 65536
# While rebuilding indexes: runs of this size are sorted by worker threads, one fewer
# than the cores this process may use; a million rows took 0.9 s where 1.5 s in one run.
SORT_CACHE_KIB = 8000
MAX_SORT_THREADS = 4


@contextmanager
def bulk_writing() -> Iterator[None]:
    """SQLite settings for one import: a larger page cache."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def drop_model_indexes(model: type[models.Model]) -> list[str]:
    """SQLite: drop the indexes the model declares itself; returns the statements rebuilding them.

    For a first large import into a table that holds little yet. Those indexes lead
    with a day or a person, so each row of a file lands somewhere else in them: a
    million rows cost about 2.7 s kept up row by row, 0.9 s built after (build_indexes).
    (The key indexes grow at their end, and the unique key finds conflicts: both stay.)
    Run inside the import's transaction: a rollback brings them back as they were.
    """
    names = [index.name for index in model._meta.indexes]
    if connection.vendor != "sqlite" or not names:
        return []
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            f"AND name IN ({marks})",
            [model._meta.db_table, *names],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {quote(name)}")
    return [sql for _, sql in found]


def build_indexes(statements: list[str]) -> None:
    """Run CREATE INDEX statements from drop_model_indexes, sorting on every core."""
    if not statements:
        return
    threads = min(MAX_SORT_THREADS, usable_cores() - 1)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SORT_CACHE_KIB}")
        cursor.execute(f"PRAGMA threads = {threads}")
        try:
            for statement in statements:
                cursor.execute(statement)
        finally:
            cursor.execute("PRAGMA threads = 0")
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")


def fact_columns(model: type[models.Model]) -> list[models.Field]:
    skip = {"id", "organisation", "source", "external_id", "imported_at"}
    return [f for f in model._meta.concrete_fields if f.name not in skip]


def changed_condition(table: str, columns: list[str], other: str = "excluded") -> str:
    return " OR ".join(
        f"{quote(table)}.{quote(c)} IS DISTINCT FROM {other}.{quote(c)}" for c in columns
    )


def count_changes(stage: Stage, org_id: int, source: str) -> tuple[int, int, int]:
    """(created, updated, unchanged) if the staged rows were merged now."""
    table = stage.kind.model._meta.db_table
    changed = stage.changed_sql("t", "s")
    row = stage.fetch(
        f"SELECT COUNT(*), "
        f"COALESCE(SUM(CASE WHEN t.id IS NULL THEN 1 ELSE 0 END), 0), "
        f"COALESCE(SUM(CASE WHEN t.id IS NOT NULL AND ({changed}) THEN 1 ELSE 0 END), 0) "
        f"FROM {{stage}} s LEFT JOIN {quote(table)} t ON t.organisation_id = %s "
        f"AND t.source = %s AND t.external_id = s.external_id",
        [org_id, source],
    )[0]
    total, created, updated = (int(v or 0) for v in row)
    return created, updated, total - created - updated


def merge_and_count(
    stage: Stage,
    org_id: int,
    source: str,
    now: dt.datetime,
    rows: list[Sequence] | None = None,
    new: bool = False,
) -> tuple[tuple[int, int, int], int | None]:
    """Merge the staged rows (see merge_facts): ((created, updated, unchanged), id).

    On SQLite nobody else writes meanwhile, so the merge counts for itself: new rows
    take ids above the largest before it (the `id` returned), and it reports how many
    rows it wrote. That saves looking up every staged row once more just to count.
    Elsewhere the id is None: other transactions may add rows meanwhile.
    `rows` (SQLite): merge these parsed rows instead, unstaged (see insert_facts).
    `new`: nothing of the source is stored and no staged key repeats (checked before):
    every row is inserted, with a plain INSERT (see merge_statement).
    """
    if connection.vendor != "sqlite":
        if new:
            ((staged,),) = stage.fetch("SELECT COUNT(*) FROM {stage}")
            counts = (staged, 0, 0)
        else:
            counts = count_changes(stage, org_id, source)
        merge_facts(stage, org_id, source, now, upsert=not new)
        return counts, None
    table = quote(stage.kind.model._meta.db_table)
    if rows is None:
        ((before, staged),) = stage.fetch(
            f"SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}), (SELECT COUNT(*) FROM {{stage}})"
        )
        written = merge_facts(stage, org_id, source, now, upsert=not new)
    else:
        ((before,),) = stage.fetch(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        staged, written = len(rows), insert_facts(stage, rows, org_id, source, now)
    ((created,),) = stage.fetch(f"SELECT COUNT(*) FROM {table} WHERE id > %s", [before])
    return (created, written - created, staged - written), before


def merge_facts(
    stage: Stage, org_id: int, source: str, now: dt.datetime, upsert: bool = True
) -> int:
    """Insert new rows and update changed ones; unchanged rows are not touched.

    Returns the number of rows inserted or updated.
    """
    return stage.execute(*merge_statement(stage, org_id, source, now, upsert=upsert))


def merge_statement(
    stage: Stage,
    org_id: int,
    source: str,
    now: dt.datetime,
    ordered: bool = True,
    upsert: bool = True,
) -> tuple[str, list]:
    """The upsert of `merge_facts`, reading `{stage}` (in row order if `ordered`), and its params.

    Without `upsert`, a plain INSERT, for rows known to be new: PostgreSQL inserts a
    million rows in 8.4 s where the upsert takes 11.7 s. A row stored meanwhile by
    someone else then fails on the unique key instead of being overwritten.
    """
    model = stage.kind.model
    table = model._meta.db_table
    staged = stage.model_columns()
    constants = [
        f for f in fact_columns(model) if f.column not in staged and f.column != "external_id"
    ]
    insert_columns = ["organisation_id", "source", "external_id", "imported_at"]
    insert_columns += staged + [f.column for f in constants]
    select = ["%s", "%s", "s.external_id", "%s"] + [f"s.{quote(c)}" for c in staged]
    select += ["%s"] * len(constants)
    params = [org_id, source, adapt_rows([[now]])[0][0]]
    params += adapt_rows([[_default(f) for f in constants]])[0] if constants else []
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in [*staged, "imported_at"])
    condition = changed_condition(table, staged) if staged else "1 = 0"
    order = " ORDER BY s.row_no" if ordered else ""
    conflict = (
        f" ON CONFLICT (organisation_id, source, external_id) DO UPDATE SET {updates} "
        f"WHERE {condition}"
        if upsert
        else ""
    )
    return (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in insert_columns)}) "
        f"SELECT {', '.join(select)} FROM {{stage}} s WHERE true{order}{conflict}",
        params,
    )


def insert_facts(
    stage: Stage, rows: list[Sequence], org_id: int, source: str, now: dt.datetime
) -> int:
    """SQLite: `merge_facts` for parsed rows given here, not staged: returns rows written.

    The rows are the statement's own VALUES, in file order, so they are not written
    to the stage and read back (see Writer.direct in importer.py).
    """
    sql, params = merge_statement(stage, org_id, source, now, ordered=False)
    names = ", ".join(quote(c) for c in stage.columns)
    sql = sql.replace("{stage}", quote("rows")).replace("%s", "?")
    width = len(stage.columns)
    per = (SQLITE_VARIABLES - len(params)) // width
    one = "(" + ", ".join(["?"] * width) + ")"
    connection.ensure_connection()
    db = connection.connection
    # Python's sqlite3 gives no rowcount (-1) for a statement starting with WITH: the
    # connection's count of changed rows tells how many this one wrote.
    before = db.total_changes
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        values = ", ".join([one] * len(chunk))
        db.execute(
            f"WITH {quote('rows')} ({names}) AS (VALUES {values}) {sql}",
            [*chain.from_iterable(chunk), *params],
        )
    return db.total_changes - before


def _default(field: models.Field):
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    return "" if isinstance(field, models.CharField | models.TextField) else None
