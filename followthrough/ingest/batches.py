"""JSON batches from the API and webhooks, imported by the same engine as files.

A batch is written to a temporary CSV file and imported with an identity
mapping (column = field name), so the API gets exactly the validation,
all-or-nothing writing, upserts and history that file imports get.
"""

from __future__ import annotations

import csv
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from followthrough.ingest.importer import Options, import_file, start_run
from followthrough.ingest.kinds import KINDS
from followthrough.ingest.mapping import MappingError, parse_mapping
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.people.models import Organisation

MAX_RECORDS = 10_000
API_KINDS = ("accounts", "products", "deals", "activities", "leads", "deal-history")


@dataclass
class BatchResult:
    run: ImportRun | None = None
    errors: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError


def import_batch(
    org: Organisation,
    kind: str,
    records: object,
    *,
    source: str,
    match: object = None,
    label: str = "api",
) -> BatchResult:
    """Import `records` (a list of objects keyed by field name) all or nothing."""
    if kind not in API_KINDS:
        return BatchResult(
            errors=[{"field": "kind", "error": f"must be one of {', '.join(API_KINDS)}"}]
        )
    if not isinstance(records, list) or not records:
        return BatchResult(
            errors=[{"field": "records", "error": "a non-empty list of objects is required"}]
        )
    if len(records) > MAX_RECORDS:
        return BatchResult(
            errors=[{"field": "records", "error": f"at most {MAX_RECORDS:,} records per batch"}]
        )
    spec = KINDS[kind]
    errors = []
    names: list[str] = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append({"index": index, "error": "each record must be an object"})
            continue
        for key, value in record.items():
            if key not in spec.by_name:
                errors.append({"index": index, "field": key, "error": "unknown field"})
            elif not isinstance(value, str | int | float | bool | type(None)):
                errors.append(
                    {
                        "index": index,
                        "field": key,
                        "error": "must be text, a number, true/false or null",
                    }
                )
            elif key not in names:
                names.append(key)
    if errors:
        return BatchResult(errors=errors)
    names += [f.name for f in spec.fields if f.required and f.name not in names]
    fields = {}
    for name, how in (match or {}).items() if isinstance(match, dict) else []:
        fields[name] = {"column": name, "match": how}
    try:
        mapping = parse_mapping(
            {"kind": kind, "source": source, "columns": {n: n for n in names}, "fields": fields},
            name=label,
        )
    except MappingError as error:
        return BatchResult(errors=[{"field": "match", "error": str(error).split(": ", 1)[-1]}])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{label}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(names)
            for record in records:
                writer.writerow([_cell(record.get(n)) for n in names])
        options = Options(source=source)
        run = start_run(org, mapping, f"{label} batch ({len(records)} {kind})", options)
        run = import_file(run, path, mapping, options)
    if run.status != RunStatus.DONE:
        errors = [
            {
                "index": problem.row - 2 if problem.row and problem.row > 1 else None,
                "field": problem.column,
                "value": problem.value,
                "error": problem.reason,
            }
            for problem in run.rejected_rows.all()[:1000]
        ]
    return BatchResult(run=run, errors=errors)
