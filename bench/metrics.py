"""Benchmark: the metric engine over 2,000 reps, 10 million activities and 1 million deals.

    .venv/bin/pip install -e '.[bench]'      # duckdb and pyarrow, for the comparison
    .venv/bin/python bench/metrics.py [--scale 0.1] [--database sqlite|postgres] [--reuse [--rebuild]]

Generates the organisation straight into a scratch database with set-based SQL
(INSERT ... SELECT over a generated series, in chunks), builds the rollups, then
measures in one run:
  - all built-in metrics for all reps for one quarter (the set-based engine),
  - the same quarter figures with DuckDB over the same facts exported to Parquet,
  - the same figures with a naive loop of one engine call per person,
  - one rep's scorecard: every built-in metric for the last 12 months,
  - one team's dashboard: 12 reps and their team total for one quarter,
and prints the timings and ratios. --reuse keeps an already generated database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST_DAY = dt.date(2024, 1, 1)
DAYS = 731  # two years of history: 2024 and 2025
QUARTER = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
TEAM_SIZE = 12
CHUNK = 1_000_000
ORG_SLUG = "bench"
SEED = 1


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followthrough.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def organisation_arguments(
    description: str, name: str, *, generate_only: bool = False
) -> argparse.Namespace:
    """The options of a benchmark run on the metrics benchmark's organisation: its size,
    the database (a scratch SQLite file or PostgreSQL database named after `name`) and
    whether to keep an already generated one."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--reps", type=int, default=2000, help="2,000: the metrics benchmark's size"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", default=f"postgres://postgres@127.0.0.1:5432/ft_{name}_bench"
    )
    parser.add_argument("--sqlite-file", default=str(ROOT / "var" / "bench" / f"{name}.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    if generate_only:
        parser.add_argument(
            "--generate-only", action="store_true", help="build the data, measure nothing"
        )
    return parser.parse_args()


def open_database(args) -> str:
    """Make (or, with --reuse, keep) the scratch database the arguments name; set Django up on it."""
    if args.database == "postgres":
        url = args.database_url
        name = url.rsplit("/", 1)[1]
        if not args.reuse:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
            )
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        path = Path(args.sqlite_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    setup_django(url)
    return url


_BACKEND_PID: list[int] = []


def cpu_seconds() -> float:
    """CPU time of this process and, on PostgreSQL, of its server backend (same machine).

    SQLite and DuckDB run inside this process. PostgreSQL's parallel workers are not
    counted (they are rare for these statements).
    """
    from django.db import connection

    used = time.process_time()
    if connection.vendor == "postgresql":
        if not _BACKEND_PID:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                _BACKEND_PID.append(cursor.fetchone()[0])
        try:
            fields = Path(f"/proc/{_BACKEND_PID[0]}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return used  # a server on another machine
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


class Timing(float):
    """Wall seconds, with the CPU seconds of the same run as `.cpu`."""

    cpu: float

    def __new__(cls, wall: float, cpu: float):
        timing = super().__new__(cls, wall)
        timing.cpu = cpu
        return timing

    def ms(self, digits: int = 0) -> str:
        return f"{self * 1000:,.{digits}f} ms (CPU {self.cpu * 1000:,.{digits}f} ms)"


def timed(label: str, func, *args, **kwargs):
    started, cpu = time.perf_counter(), cpu_seconds()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"  {label}: {elapsed:,.1f}s (CPU {cpu_seconds() - cpu:,.1f}s)", flush=True)
    return result


def best_of(runs: int, func) -> Timing:
    """The fastest of `runs` wall times (the first run warms the caches), with the mean CPU
    time of the runs (the server's CPU time is counted in 10 ms ticks)."""
    times = []
    cpu = cpu_seconds()
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return Timing(min(times), (cpu_seconds() - cpu) / runs)


# ---------------------------------------------------------------- generation


def _series(vendor: str, first: int, last: int) -> str:
    """A FROM clause giving x = first..last."""
    if vendor == "postgresql":
        return f"generate_series({first}::bigint, {last}::bigint) AS g(x)"
    return (
        f"(WITH RECURSIVE c(x) AS (SELECT {first} UNION ALL SELECT x + 1 FROM c "
        f"WHERE x < {last}) SELECT x FROM c) AS g"
    )


# A 32-bit integer hash (Thomas Mueller's mixing constant): its products stay below 2^59,
# where neither SQLite (which turns an overflow into a float) nor PostgreSQL (which raises)
# overflows.
_MIX = 0x45D9F3B
_GOLDEN = 0x9E3779B1
_WORD = 2**32


def _xorshift(v: str) -> str:
    """v XOR (v >> 16), spelled with + - & because SQLite has no XOR operator."""
    return f"({v} + ({v} >> 16) - 2 * ({v} & ({v} >> 16)))"


def _random_rows(vendor: str, first: int, last: int, seed: int, streams: dict[str, int]) -> str:
    """A FROM clause giving x = first..last and, per named stream, a pseudo-random integer
    in [0, 2^31) hashed from the seed, the stream and x alone.

    Not random(): SQLite inlines a subquery's columns into the outer query, so a random()
    column drawn once is drawn again at every use (a CASE over it no longer gives the shares
    it was written for). A hash of the row number is the same at every use and the same on
    both databases: SQLite and PostgreSQL generate the very same organisation. Each round
    of the hash is a fenced subquery (never inlined) so it is computed once per row.
    """
    fence = _sql(vendor)["fence"]
    rows = _series(vendor, first, last)
    values = {
        name: f"((x + {((seed * 1_000 + stream) * _GOLDEN) % _WORD}) % {_WORD})"
        for name, stream in streams.items()
    }
    for number, final in enumerate((False, False, True)):
        select = ", ".join(
            f"({_xorshift(value)} % {2**31}) AS {name}"
            if final
            else f"(({_xorshift(value)} * {_MIX}) % {_WORD}) AS {name}"
            for name, value in values.items()
        )
        rows = f"(SELECT x, {select} FROM {rows} {fence}) AS h{number}"
        values = {name: name for name in streams}
    return rows


def _sql(vendor: str) -> dict[str, str]:
    """Vendor spellings: a subquery fence, a day offset, a timestamp."""
    if vendor == "postgresql":
        return {
            "fence": "OFFSET 0",
            "day": "(DATE '2024-01-01' + ({offset})::int)",
            "at": "(DATE '2024-01-01' + ({offset})::int + TIME '10:00') AT TIME ZONE 'UTC'",
            "now": "now()",
            "padded": "'{prefix}' || lpad(x::text, 9, '0')",
            "true": "true",
            "false": "false",
        }
    return {
        "fence": "LIMIT -1 OFFSET 0",
        "day": "date('2024-01-01', '+' || ({offset}) || ' days')",
        "at": "datetime('2024-01-01', '+' || ({offset}) || ' days', '+10 hours')",
        "now": "datetime('now')",
        "padded": "printf('{prefix}%09d', x)",
        "true": "1",
        "false": "0",
    }


def generate(scale: float, seed: int = SEED) -> None:
    """The organisation, its people and teams, and the facts, by set-based SQL: the same
    rows on SQLite and PostgreSQL for the same scale and seed."""
    from django.db import connection, transaction

    from followthrough.crm.models import Account, Activity, Deal, DealStageChange, Product
    from followthrough.people.models import (
        Organisation,
        Person,
        ReportingLine,
        Role,
        Team,
        TeamKind,
    )

    reps = max(TEAM_SIZE, int(2000 * scale))
    activities = int(10_000_000 * scale)
    deals = int(1_000_000 * scale)
    accounts = max(100, deals // 20)
    vendor = connection.vendor
    sql = _sql(vendor)
    qn = connection.ops.quote_name

    print(f"generating {reps:,} reps, {activities:,} activities, {deals:,} deals ({vendor})")
    with transaction.atomic():
        org = Organisation.objects.create(name="Bench", slug=ORG_SLUG)
        region = Team.objects.create(organisation=org, name="All", kind=TeamKind.REGION)
        teams = Team.objects.bulk_create(
            Team(organisation=org, name=f"Team {n:03d}", parent=region)
            for n in range((reps + TEAM_SIZE - 1) // TEAM_SIZE)
        )
        managers = Person.objects.bulk_create(
            Person(organisation=org, name=f"Manager {n:03d}", role=Role.MANAGER)
            for n in range(len(teams))
        )
        people = Person.objects.bulk_create(
            Person(organisation=org, name=f"Rep {n:04d}", external_id=f"rep{n:04d}")
            for n in range(reps)
        )
        ReportingLine.objects.bulk_create(
            [
                ReportingLine(
                    organisation=org,
                    person=p,
                    manager=managers[n // TEAM_SIZE],
                    team=teams[n // TEAM_SIZE],
                    valid_from=FIRST_DAY,
                )
                for n, p in enumerate(people)
            ]
            + [
                ReportingLine(organisation=org, person=m, team=t, valid_from=FIRST_DAY)
                for m, t in zip(managers, teams, strict=True)
            ]
        )
        Product.objects.bulk_create(
            Product(
                organisation=org,
                source="bench",
                external_id=f"p{n}",
                name=f"P{n}",
                family=f"F{n % 3}",
            )
            for n in range(10)
        )
    first_rep = min(p.pk for p in people)
    first_product = Product.objects.filter(organisation=org).order_by("pk").first().pk
    owner = f"{first_rep} + w % {reps}"

    def run(statement: str, label: str) -> None:
        def execute() -> None:
            # Timed with the commit, where PostgreSQL runs deferred foreign key checks.
            with connection.cursor() as cursor, transaction.atomic():
                cursor.execute(statement)

        timed(label, execute)

    run(
        f"INSERT INTO {qn(Account._meta.db_table)} (organisation_id, source, external_id, "
        f"imported_at, name, segment, industry, country) SELECT {org.pk}, 'bench', 'c' || x, "
        f"{sql['now']}, 'Account ' || x, '', '', '' FROM {_series(vendor, 1, accounts)}",
        f"{accounts:,} accounts",
    )
    first_account = Account.objects.filter(organisation=org).order_by("pk").first().pk

    # Secondary indexes (and on PostgreSQL foreign keys) are dropped while the facts go in
    # and made once at the end: one sort per index instead of millions of scattered
    # updates, one join per key instead of a deferred check per row and key at commit.
    dropped = _drop_indexes([Activity, Deal, DealStageChange])

    # Activities, in day order so the date index grows at its end.
    for start in range(1, activities + 1, CHUNK):
        last = min(start + CHUNK - 1, activities)
        offset = f"(x * {DAYS - 1}) / {activities}"
        run(
            f"INSERT INTO {qn(Activity._meta.db_table)} (organisation_id, source, external_id, "
            f"imported_at, owner_id, type, direction, is_cold, occurred_at, occurred_on, "
            f"duration_seconds, outcome, subject) "
            f"SELECT {org.pk}, 'bench', {sql['padded'].format(prefix='a')}, {sql['now']}, {owner}, "
            f"CASE t WHEN 0 THEN 'call' WHEN 1 THEN 'call' WHEN 2 THEN 'call' "
            f"WHEN 3 THEN 'email' WHEN 4 THEN 'email' WHEN 5 THEN 'meeting' "
            f"WHEN 6 THEN 'demo' ELSE 'task' END, "
            f"CASE WHEN r % 10 < 7 THEN 'outbound' ELSE 'inbound' END, "
            f"CASE WHEN r % 3 = 0 THEN {sql['true']} ELSE {sql['false']} END, "
            f"{sql['at'].format(offset=offset)}, {sql['day'].format(offset=offset)}, r % 3600, "
            f"CASE WHEN t = 5 AND r % 2 = 0 THEN 'first_meeting_held' "
            f"WHEN t = 5 THEN 'second_meeting_held' WHEN t < 3 AND r % 4 = 0 THEN 'connected' "
            f"WHEN t < 3 THEN 'no_answer' ELSE '' END, '' "
            f"FROM (SELECT x, t % 8 AS t, r, w "
            f"FROM {_random_rows(vendor, start, last, seed, {'t': 1, 'r': 2, 'w': 3})}) AS s",
            f"activities {start:,}-{last:,}",
        )

    # Deals: created in day order, closed 1-120 days later; 40 % won, 35 % lost, 25 % open.
    for start in range(1, deals + 1, CHUNK):
        last = min(start + CHUNK - 1, deals)
        created = f"(x * {DAYS - 121}) / {deals}"
        closed = f"(x * {DAYS - 121}) / {deals} + 1 + r % 120"
        run(
            f"INSERT INTO {qn(Deal._meta.db_table)} (organisation_id, source, external_id, "
            f"imported_at, name, owner_id, account_id, product_id, amount, currency, created_on, "
            f"close_on, stage, outcome, deal_type, loss_reason, next_step) "
            f"SELECT {org.pk}, 'bench', {sql['padded'].format(prefix='d')}, {sql['now']}, '', {owner}, "
            f"{first_account} + r % {accounts}, {first_product} + r % 10, 1000 + r % 50000, "
            f"'USD', {sql['day'].format(offset=created)}, {sql['day'].format(offset=closed)}, "
            f"CASE WHEN o < 40 THEN 'Won' WHEN o < 75 THEN 'Lost' ELSE 'Proposal' END, "
            f"CASE WHEN o < 40 THEN 'won' WHEN o < 75 THEN 'lost' ELSE 'open' END, "
            f"CASE WHEN r % 20 < 14 THEN 'new_business' WHEN r % 20 < 17 THEN 'upsell' "
            f"ELSE 'cross_sell' END, '', '' "
            f"FROM (SELECT x, o % 100 AS o, r, w "
            f"FROM {_random_rows(vendor, start, last, seed, {'o': 4, 'r': 5, 'w': 6})}) AS s",
            f"deals {start:,}-{last:,}",
        )
    deals_table, changes = qn(Deal._meta.db_table), qn(DealStageChange._meta.db_table)
    day_at = (
        "(created_on + {n})::timestamp AT TIME ZONE 'UTC'"
        if vendor == "postgresql"
        else "datetime(created_on, '+' || ({n}) || ' days', '+9 hours')"
    )
    day_on = (
        "(created_on + {n})"
        if vendor == "postgresql"
        else "date(created_on, '+' || ({n}) || ' days')"
    )
    span = (
        "(close_on - created_on)"
        if vendor == "postgresql"
        else ("CAST(julianday(close_on) - julianday(created_on) AS INTEGER)")
    )
    for to_stage, from_stage, when in (
        ("Prospecting", "", "0"),
        ("Qualified", "Prospecting", f"{span} / 2"),
        ("Closing", "Qualified", span),
    ):
        final = (
            "CASE outcome WHEN 'won' THEN 'Won' WHEN 'lost' THEN 'Lost' ELSE 'Proposal' END"
            if to_stage == "Closing"
            else f"'{to_stage}'"
        )
        run(
            f"INSERT INTO {changes} (organisation_id, deal_id, from_stage, to_stage, changed_at, "
            f"changed_on) SELECT organisation_id, id, '{from_stage}', {final}, "
            f"{day_at.format(n=when)}, {day_on.format(n=when)} FROM {deals_table} "
            f"WHERE organisation_id = {org.pk}",
            f"stage changes into {to_stage}",
        )
    with connection.cursor() as cursor:
        for name, create in dropped:
            timed(name, cursor.execute, create)
    with connection.cursor() as cursor:
        timed("ANALYZE", cursor.execute, "ANALYZE")
    first_wins(org)


def first_wins(org) -> None:
    """Each account's first won day (the new-logo rule), set-based."""
    from django.db import connection, transaction

    from followthrough.crm.models import Account, Deal

    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # Set-based: the correlated form the import uses is planned per account here.
        def update() -> None:
            with connection.cursor() as cursor, transaction.atomic():
                cursor.execute(
                    f"UPDATE {qn(Account._meta.db_table)} a SET first_won_on = w.first FROM "
                    f"(SELECT account_id, MIN(close_on) AS first FROM {qn(Deal._meta.db_table)} "
                    f"WHERE outcome = 'won' AND organisation_id = %s GROUP BY account_id) w "
                    f"WHERE w.account_id = a.id",
                    [org.pk],
                )

        timed("accounts' first wins", update)
    else:
        from followthrough.ingest.history import update_first_wins

        with transaction.atomic():
            timed("accounts' first wins", update_first_wins, org.pk)


def vacuum() -> None:
    """What autovacuum would do after a bulk load on PostgreSQL (it may be off, as here);
    fresh statistics on SQLite.

    Index-only scans read the table for pages the visibility map does not mark all-visible.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            timed("VACUUM ANALYZE", cursor.execute, "VACUUM ANALYZE")
        else:  # the planner's statistics, after updates that changed what indexes select
            timed("ANALYZE", cursor.execute, "ANALYZE")


def _load() -> str:
    return ", ".join(f"{n:.1f}" for n in os.getloadavg())


def _drop_indexes(models) -> list[tuple[str, str]]:
    """Drop the plain (non-unique) indexes of these tables, and on PostgreSQL their foreign
    keys; returns (label, statement) pairs recreating them, indexes first."""
    from django.db import connection

    qn = connection.ops.quote_name
    tables = [m._meta.db_table for m in models]
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                # In a caller's transaction (a test's), run its deferred key checks now:
                # PostgreSQL refuses to drop a key of a table with checks pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ({marks}) "
                f"AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                tables,
            )
            found = cursor.fetchall()
            cursor.execute(
                f"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                f"FROM pg_constraint WHERE contype = 'f' "
                f"AND conrelid::regclass::text IN ({marks})",
                tables,
            )
            keys = cursor.fetchall()
        else:
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                f"AND tbl_name IN ({marks}) AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
                tables,
            )
            found = cursor.fetchall()
            keys = []  # SQLite checks a key by one primary key look-up as rows go in
        for name, _ in found:
            cursor.execute(f"DROP INDEX {qn(name)}")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    return [(f"index {name}", create) for name, create in found] + [
        (f"key {name}", f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
        for table, name, definition in keys
    ]


# ---------------------------------------------------------------- measurements


def export_parquet(folder: Path) -> dict[str, Path]:
    """The facts the quarter needs, written to Parquet files in `folder`."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.db import connection

    from followthrough.crm.models import Account, Activity, Deal, DealStageChange

    org_id = _org().pk
    queries = {
        "activities": (
            f"SELECT owner_id, type, direction, outcome, occurred_on FROM "
            f"{Activity._meta.db_table} WHERE organisation_id = {org_id}"
        ),
        "deals": (
            f"SELECT id, owner_id, account_id, amount, created_on, close_on, outcome, deal_type "
            f"FROM {Deal._meta.db_table} WHERE organisation_id = {org_id}"
        ),
        "stage_changes": (
            f"SELECT deal_id, changed_on FROM {DealStageChange._meta.db_table} "
            f"WHERE organisation_id = {org_id}"
        ),
        "accounts": (
            f"SELECT id, first_won_on FROM {Account._meta.db_table} WHERE organisation_id = {org_id}"
        ),
    }
    dates = {"occurred_on", "created_on", "close_on", "changed_on", "first_won_on"}
    paths = {}
    for name, query in queries.items():
        path = folder / f"{name}.parquet"
        writer = None
        with connection.cursor() as cursor:
            cursor.execute(query)
            columns = [c[0] for c in cursor.description]
            while rows := cursor.fetchmany(500_000):
                data = {}
                for index, column in enumerate(columns):
                    values = [row[index] for row in rows]
                    if column in dates:
                        values = [
                            dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values
                        ]
                        data[column] = pa.array(values, pa.date32())
                    elif column == "amount":
                        data[column] = pa.array(
                            [float(v) if v is not None else None for v in values], pa.float64()
                        )
                    else:
                        data[column] = pa.array(values)
                table = pa.table(data)
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table)
        if writer is not None:
            writer.close()
        paths[name] = path
    return paths


def duckdb_quarter(paths: dict[str, Path], start: dt.date, end: dt.date, today: dt.date):
    """The built-in figures per rep for the quarter, with DuckDB over the Parquet facts."""
    import duckdb

    db = duckdb.connect()
    a, d, s, c = (str(paths[k]) for k in ("activities", "deals", "stage_changes", "accounts"))
    span = f"DATE '{start}' AND DATE '{end}'"
    results = {}
    results["activities"] = db.execute(
        f"""SELECT owner_id, count(*), count(*) FILTER (type = 'call'),
        count(*) FILTER (type = 'email'), count(*) FILTER (type = 'meeting'),
        count(*) FILTER (type = 'demo'), count(*) FILTER (type = 'task'),
        count(*) FILTER (outcome = 'first_meeting_held'),
        count(*) FILTER (outcome = 'second_meeting_held'),
        count(*) FILTER (direction = 'outbound')
        FROM '{a}' WHERE occurred_on BETWEEN {span} GROUP BY owner_id"""
    ).fetchall()
    results["created"] = db.execute(
        f"""SELECT owner_id, count(*), sum(amount) FROM '{d}'
        WHERE created_on BETWEEN {span} GROUP BY owner_id"""
    ).fetchall()
    results["closed"] = db.execute(
        f"""SELECT d.owner_id, count(*) FILTER (outcome = 'won'), count(*) FILTER (outcome = 'lost'),
        count(*) FILTER (outcome IN ('won', 'lost')), sum(amount) FILTER (outcome = 'won'),
        avg(close_on - created_on) FILTER (outcome = 'won'),
        count(DISTINCT d.account_id) FILTER (outcome = 'won' AND c.first_won_on = d.close_on),
        count(*) FILTER (outcome = 'won' AND deal_type = 'upsell'),
        count(*) FILTER (outcome = 'won' AND deal_type = 'cross_sell'),
        count(*) FILTER (outcome <> 'open' OR close_on < DATE '{today}'),
        count(*) FILTER (outcome = 'open' AND close_on < DATE '{today}'),
        count(*) FILTER (outcome = 'lost' OR (outcome = 'open' AND close_on < DATE '{today}'))
        FROM '{d}' d LEFT JOIN '{c}' c ON c.id = d.account_id
        WHERE close_on BETWEEN {span} GROUP BY d.owner_id"""
    ).fetchall()
    results["stage_moves"] = db.execute(
        f"""SELECT d.owner_id, count(*) FROM '{s}' s JOIN '{d}' d ON d.id = s.deal_id
        WHERE s.changed_on BETWEEN {span} GROUP BY d.owner_id"""
    ).fetchall()
    return results


def _org():
    from followthrough.people.models import Organisation

    return Organisation.objects.get(slug=ORG_SLUG)


def measure(database: str, naive_sample: int) -> None:
    from followthrough.lib.periods import Period, PeriodKind, last_periods, period_of
    from followthrough.metrics import engine
    from followthrough.metrics.catalog import BUILTIN_KEYS
    from followthrough.people.lines import today_for
    from followthrough.people.models import Person, Role, Team

    org = _org()
    keys = list(BUILTIN_KEYS)
    quarter = Period(*QUARTER, kind=PeriodKind.QUARTER)
    reps = list(
        Person.objects.filter(organisation=org, role=Role.REP)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    print(
        f"\nmeasuring on {database}: {len(reps):,} reps, {len(keys)} built-in metrics "
        f"(load average {_load()})"
    )

    def every_figure(results, owners, periods) -> int:
        """Reads every figure, as an export or a dashboard would."""
        return sum(
            results.get(owner, key, period).value is not None
            for owner in owners
            for period in periods
            for key in keys
        )

    everyone = list(Person.objects.filter(organisation=org).values_list("pk", flat=True))
    queries_only = best_of(3, lambda: engine.compute(org, keys, [quarter]))
    full = best_of(
        3, lambda: every_figure(engine.compute(org, keys, [quarter]), everyone, [quarter])
    )
    print(
        f"  all metrics, all reps, one quarter (engine): {full.ms()} with every one of "
        f"{len(everyone) * len(keys):,} figures read ({queries_only.ms()} to compute "
        f"before reading)"
    )

    rep = reps[len(reps) // 2]
    months = last_periods(period_of(PeriodKind.MONTH, QUARTER[1]), 12)
    scorecard = best_of(
        5, lambda: every_figure(engine.compute(org, keys, months, [rep]), [rep], months)
    )
    print(f"  one rep's scorecard (12 months): {scorecard.ms(1)} (target < 50 ms)")

    team = Team.objects.filter(organisation=org, parent__isnull=False).order_by("name").first()
    members = list(
        Person.objects.filter(
            organisation=org, role=Role.REP, reporting_lines__team=team
        ).values_list("pk", flat=True)
    )

    def dashboard():
        every_figure(engine.compute(org, keys, [quarter], members), members, [quarter])
        teams = engine.compute_teams(org, keys, [quarter], [team.pk])
        every_figure(teams, [team.pk], [quarter])

    board = best_of(5, dashboard)
    print(
        f"  one team's dashboard ({len(members)} reps + team total, one quarter): "
        f"{board.ms(1)} (target < 150 ms)"
    )

    pages(org, rep, team, quarter)

    sample = reps[: min(naive_sample, len(reps))]
    started, cpu = time.perf_counter(), cpu_seconds()
    for person_id in sample:
        every_figure(engine.compute(org, keys, [quarter], [person_id]), [person_id], [quarter])
    scale = len(reps) / len(sample)
    naive = (time.perf_counter() - started) * scale
    naive_cpu = (cpu_seconds() - cpu) * scale
    note = "" if len(sample) == len(reps) else f" (timed on {len(sample)} reps, scaled up)"
    print(f"  naive loop, one engine call per rep: {naive:,.2f}s (CPU {naive_cpu:,.2f}s){note}")

    try:
        import duckdb  # noqa: F401
    except ImportError:
        print("  DuckDB: not installed (pip install -e '.[bench]'); comparison skipped")
        duck = None
    else:
        with tempfile.TemporaryDirectory() as tmp:
            paths = timed("  export facts to Parquet", export_parquet, Path(tmp))
            today = today_for(org)
            duck = best_of(3, lambda: duckdb_quarter(paths, *QUARTER, today))
            check_against_duckdb(org, keys, quarter, duckdb_quarter(paths, *QUARTER, today))
        print(f"  DuckDB over the raw facts (Parquet), same quarter: {duck.ms()}")
    print("\nratios")
    if duck:
        verdict = "meets" if full <= duck else "misses"
        print(f"  engine / DuckDB = {full / duck:.2f} ({verdict} the target <= 1.0)")
    print(f"  naive loop / engine = {naive / full:,.0f}x")
    print(f"load average at the end: {_load()}")


def pages(org, rep_id: int, team, quarter) -> None:
    """The page builders as served: engine calls plus targets, peers, trends and formatting."""
    from followthrough.metrics.catalog import BUILTIN_KEYS
    from followthrough.people.models import Person, ReportingLine
    from followthrough.scorecards.dashboard import build_dashboard
    from followthrough.scorecards.scorecard import build_scorecard

    rep = Person.objects.select_related("organisation").get(pk=rep_id)
    scorecard = best_of(5, lambda: build_scorecard(rep, quarter, today=QUARTER[1]))
    print(f"  build_scorecard, one rep, one quarter: {scorecard.ms(1)} (target < 50 ms)")
    manager_id = (
        ReportingLine.objects.filter(team=team, manager__isnull=False)
        .values_list("manager_id", flat=True)
        .first()
    )
    viewer = Person.objects.select_related("organisation").get(pk=manager_id)
    keys = list(BUILTIN_KEYS)
    board = best_of(5, lambda: build_dashboard(viewer, team, keys, quarter, today=QUARTER[1]))
    shown = len(build_dashboard(viewer, team, keys, quarter, today=QUARTER[1]).rows)
    print(
        f"  build_dashboard, {shown} reps x {len(keys)} metrics + team total, one quarter: "
        f"{board.ms(1)} (target < 150 ms)"
    )


def check_against_duckdb(org, keys, quarter, duck) -> None:
    """The engine and DuckDB agree on a few figures (a benchmark that is wrong is worthless)."""
    from followthrough.metrics import engine

    results = engine.compute(
        org,
        ["activities", "calls", "deals_won", "revenue_won", "new_logos", "stage_moves"],
        [quarter],
    )
    mismatches = 0
    for row in duck["activities"]:
        if results.get(row[0], "activities", quarter).value != row[1]:
            mismatches += 1
        if results.get(row[0], "calls", quarter).value != row[2]:
            mismatches += 1
    for row in duck["closed"]:
        if results.get(row[0], "deals_won", quarter).value != row[1]:
            mismatches += 1
        if (
            abs(float(results.get(row[0], "revenue_won", quarter).value) - float(row[4] or 0))
            > 0.01
        ):
            mismatches += 1
        if results.get(row[0], "new_logos", quarter).value != row[6]:
            mismatches += 1
    for row in duck["stage_moves"]:
        if results.get(row[0], "stage_moves", quarter).value != row[1]:
            mismatches += 1
    print(
        f"  engine and DuckDB agree on every rep's figures: {'yes' if not mismatches else f'NO ({mismatches} differ)'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 2,000 reps, 10M activities")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/ft_metrics_bench"
    )
    parser.add_argument("--sqlite-file", default=str(ROOT / "var" / "bench" / "metrics.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    parser.add_argument(
        "--rebuild", action="store_true", help="with --reuse: build the rollups again"
    )
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=200,
        help="reps timed in the naive loop (scaled up to all reps)",
    )
    args = parser.parse_args()

    open_database(args)
    from followthrough.metrics import rollups
    from followthrough.people.models import Organisation

    generated = Organisation.objects.filter(slug=ORG_SLUG).exists()
    if not generated:
        started, cpu = time.perf_counter(), cpu_seconds()
        generate(args.scale)
        print(
            f"generated in {time.perf_counter() - started:,.0f}s (CPU of this process and its "
            f"database backend {cpu_seconds() - cpu:,.0f}s; load average {_load()})"
        )
    if not generated or args.rebuild:
        started, cpu = time.perf_counter(), cpu_seconds()
        count = rollups.rebuild(_org().pk, bulk=True)
        print(
            f"rollups built: {count:,} rows in {time.perf_counter() - started:,.0f}s "
            f"(CPU {cpu_seconds() - cpu:,.0f}s; load average {_load()})"
        )
        vacuum()
    measure(args.database, args.naive_sample)


if __name__ == "__main__":
    main()
