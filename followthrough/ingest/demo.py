"""Write generated demo records through the importer, as a CSV export would be.

Each kind becomes one CSV file read by `import_file` with a mapping that
names every column after its field, so the demo data passes the same checks,
upserts, history and write-time updates as any import, and leaves one import
run per kind behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from followthrough.ingest.importer import Options, import_file, start_run
from followthrough.ingest.mapping import parse_mapping
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.people.models import Organisation

SOURCE = "demo"
# People are named by e-mail in the records; everything else by external id.
MATCH_BY_EMAIL = ("owner", "co_owner")

Progress = Callable[[str, ImportRun], None]


class DemoImportError(Exception):
    """A generated record was refused by the importer: a bug in the generator."""


def cell(value: object) -> str:
    # Exact type checks, most frequent first: this runs for every cell of the demo.
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is dt.date or kind is dt.datetime:
        return value.isoformat()
    if kind is Decimal or kind is int or kind is float or isinstance(value, str):
        return str(value)  # str() of a choice (Outcome.WON) is its value
    raise TypeError(f"no CSV form for {value!r}")


def import_records(
    org: Organisation,
    kind: str,
    records: list[dict],
    *,
    progress: Progress | None = None,
) -> ImportRun:
    """Import `records` (dicts keyed by field name) as one file; raises if any is refused."""
    names = list(dict.fromkeys(name for record in records for name in record))
    mapping = parse_mapping(
        {
            "kind": kind,
            "source": SOURCE,
            "columns": {name: name for name in names},
            "fields": {
                name: {"column": name, "match": "email"} for name in MATCH_BY_EMAIL if name in names
            },
        },
        name=f"demo-{kind}",
    )
    options = Options(source=SOURCE)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"demo-{kind}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            writer.writerows([cell(record.get(name)) for name in names] for record in records)
        run = start_run(org, mapping, path.name, options)
        report = (lambda r: progress(kind, r)) if progress else None
        run = import_file(run, path, mapping, options, progress=report)
    if run.status != RunStatus.DONE or run.rejected:
        raise DemoImportError(f"demo {kind}: {run.message}")
    return run


def import_all(
    org: Organisation, batches: list[tuple[str, list[dict]]], progress: Progress | None = None
) -> list[ImportRun]:
    """Import each kind in order (accounts before the deals that name them, and so on)."""
    return [
        import_records(org, kind, records, progress=progress)
        for kind, records in batches
        if records
    ]
