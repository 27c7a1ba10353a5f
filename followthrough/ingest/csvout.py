"""CSV written back to people (rejected rows), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from followthrough.ingest.models import ImportRun
from followthrough.lib.cells import formula_safe

REJECTED_HEADER = ["file", "row", "column", "value", "reason"]


def safe_cell(value: object) -> str:
    return formula_safe("" if value is None else str(value))


def write_rows(out: TextIO, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])


def write_rejected_rows(run: ImportRun, out: TextIO) -> None:
    """Every rejected row of `run`: file, row number, column, value and reason."""
    rows = run.rejected_rows.order_by("row", "pk").values_list(
        "file_name", "row", "column", "value", "reason"
    )
    write_rows(out, REJECTED_HEADER, rows.iterator(chunk_size=2000))
