"""Benchmark: import a generated 1,000,000-row activities CSV end to end.

    .venv/bin/python bench/ingest.py [--rows 1000000] [--database sqlite|postgres]

Prints rows per second, peak memory of the importing process, and the same
file loaded with the database's own bulk loader (sqlite3 .import, COPY) for
comparison. Runs against a scratch database; nothing of yours is touched.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = ["call", "call", "call", "email", "email", "meeting", "demo", "task"]
OUTCOMES = {
    "call": ["connected", "no_answer", "voicemail"],
    "email": ["", "replied"],
    "meeting": ["first_meeting_held", "second_meeting_held"],
    "demo": ["completed"],
    "task": ["completed"],
}
HEADER = [
    "Activity ID",
    "Owner ID",
    "Type",
    "Direction",
    "Cold",
    "Date",
    "Duration",
    "Outcome",
    "Subject",
]
MAPPING = """
kind = "activities"
source = "bench"
[columns]
external_id = "Activity ID"
owner = "Owner ID"
type = "Type"
direction = "Direction"
is_cold = "Cold"
occurred_at = "Date"
duration_seconds = "Duration"
outcome = "Outcome"
subject = "Subject"
"""


def generate(path: Path, rows: int, people: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, 8, 0)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            kind = TYPES[i % len(TYPES)]
            when = start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 300))
            writer.writerow(
                [
                    f"A{i:08d}",
                    f"P{rng.randrange(people):04d}",
                    kind,
                    "outbound" if rng.random() < 0.8 else "inbound",
                    "true" if rng.random() < 0.4 else "false",
                    when.strftime("%Y-%m-%d %H:%M:%S"),
                    rng.randrange(30, 1800) if kind == "call" else "",
                    rng.choice(OUTCOMES[kind]),
                    f"Follow-up {i % 997}",
                ]
            )


def setup_django(var: Path, database_url: str | None) -> None:
    os.environ["FOLLOWTHROUGH_VAR"] = str(var)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "followthrough.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU time used (user + system): steadier than wall time on a shared machine."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return "load average " + " ".join(f"{v:.1f}" for v in os.getloadavg())


def bulk_baseline(path: Path, database_url: str | None, var: Path) -> float:
    """Seconds for the database's own loader to load the same CSV into a bare table."""
    columns = ", ".join(f'"{c}" text' for c in HEADER)
    if not database_url:
        if not shutil.which("sqlite3"):
            return float("nan")
        db = var / "baseline.sqlite3"
        script = f"CREATE TABLE raw ({columns});\n.mode csv\n.import --skip 1 {path} raw\n"
        started, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
        subprocess.run(["sqlite3", str(db)], input=script, text=True, check=True)
        elapsed = time.perf_counter() - started
        print(
            f"sqlite3 .import: {elapsed:.1f}s, {cpu_seconds(resource.RUSAGE_CHILDREN) - cpu:.1f}s CPU"
        )
        return elapsed
    import psycopg

    with psycopg.connect(
        database_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_raw")
        conn.execute(f"CREATE UNLOGGED TABLE bench_raw ({columns})")
        started = time.perf_counter()
        with conn.cursor().copy("COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_raw")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/followthrough_bench"
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ft-bench-"))
    database_url = None
    if args.database == "postgres":
        database_url = args.database_url
        name = database_url.rsplit("/", 1)[1]
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        csv_path = tmp / "activities.csv"
        started = time.perf_counter()
        generate(csv_path, args.rows, args.people)
        print(
            f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f}s"
        )

        setup_django(tmp, database_url)
        import tomllib

        from followthrough.ingest.importer import Options, import_file, start_run
        from followthrough.ingest.mapping import parse_mapping
        from followthrough.people.models import Organisation, Person

        org = Organisation.objects.create(name="Bench", slug="bench")
        Person.objects.bulk_create(
            Person(organisation=org, name=f"Person {i}", external_id=f"P{i:04d}")
            for i in range(args.people)
        )
        mapping = parse_mapping(tomllib.loads(MAPPING), name="bench.toml")
        before = peak_mb()
        print(f"before the import: {load()}")
        started = time.perf_counter()
        cpu, child_cpu = cpu_seconds(), cpu_seconds(resource.RUSAGE_CHILDREN)
        run = start_run(org, mapping, csv_path.name, Options())
        run = import_file(run, csv_path, mapping, Options())
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        # A large file is parsed by a second process (see ingest/parsing.py): count it too.
        child_cpu = cpu_seconds(resource.RUSAGE_CHILDREN) - child_cpu
        assert run.status == "done" and run.created == args.rows, (
            run.status,
            run.created,
            run.message,
        )
        rate = args.rows / elapsed
        print(
            f"{args.database}: imported {args.rows:,} activities in {elapsed:.1f}s = {rate:,.0f} rows/s"
        )
        print(
            f"{args.database}: CPU {cpu:.1f}s in the importing process + {child_cpu:.1f}s in "
            f"its parsing process = {args.rows / (cpu + child_cpu):,.0f} rows per CPU-second; "
            f"after the import: {load()}"
        )
        print(
            f"{args.database}: peak memory {peak_mb():,.0f} MB (before the import: {before:,.0f} MB)"
        )

        started = time.perf_counter()
        run = import_file(
            start_run(org, mapping, csv_path.name, Options()), csv_path, mapping, Options()
        )
        again = time.perf_counter() - started
        print(
            f"{args.database}: re-import (all {run.unchanged:,} unchanged) in {again:.1f}s = {args.rows / again:,.0f} rows/s"
        )

        baseline = bulk_baseline(csv_path, database_url, tmp)
        loader = "sqlite3 .import" if args.database == "sqlite" else "COPY"
        print(
            f"{args.database}: {loader} of the same CSV into a bare table: {baseline:.1f}s; Followthrough/loader = {elapsed / baseline:.1f}x"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
