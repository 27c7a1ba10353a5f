"""Preview an upload: its first rows as the import will read, map and convert them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from followthrough.ingest.convert import Problem, org_zone

# The very parser and header check the import runs with, so the preview cannot differ.
from followthrough.ingest.importer import RowParser, check_header
from followthrough.ingest.lookups import build_lookups
from followthrough.ingest.mapping import Mapping
from followthrough.ingest.readers import FileProblem, Table, open_table
from followthrough.ingest.uploads import Draft, stored_path
from followthrough.people.models import Organisation

PREVIEW_ROWS = 10
# In people imports these are resolved after the rows are read (they may name new people).
PEOPLE_RESOLVED_LATER = frozenset({"manager", "team", "parent_team"})


@dataclass
class PreviewCell:
    raw: str
    value: str
    error: str = ""


@dataclass
class PreviewRow:
    number: int
    cells: list[PreviewCell]

    @property
    def ok(self) -> bool:
        return not any(cell.error for cell in self.cells)


@dataclass
class Preview:
    fields: list[tuple[str, str]]  # (field, the column it is read from; "" for a default)
    rows: list[PreviewRow]
    file_problems: list[Problem]
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    size: int = 0
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def can_run(self) -> bool:
        return not self.file_problems


def show(value: object, tz: dt.tzinfo) -> str:
    """A converted value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def preview(draft: Draft, org: Organisation, limit: int = PREVIEW_ROWS) -> Preview:
    """Read the first `limit` rows of a draft as the import would, writing nothing."""
    mapping = draft.mapping()
    try:
        table = open_table(
            stored_path(draft.stored),
            encoding=mapping.encoding,
            delimiter=mapping.delimiter,
            max_bytes=settings.UPLOAD_MAX_BYTES,
        )
    except FileProblem as problem:
        return Preview([], [], [Problem(problem.row, problem.column, "", problem.reason)])
    result = Preview(
        fields=[],
        rows=[],
        file_problems=check_header(table, mapping),
        format=table.format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        size=table.size,
    )
    result.ignored_columns = list(mapping.extra.get("ignored_columns", []))
    try:
        if not result.file_problems:
            _read_rows(result, table, mapping, org, draft.file_name, limit)
    finally:
        table.rows.close()
    return result


def _read_rows(
    result: Preview, table: Table, mapping: Mapping, org: Organisation, file_name: str, limit: int
) -> None:
    tz = org_zone(mapping.timezone or org.timezone)
    today = timezone.now().astimezone(tz).date()
    if mapping.kind.name == "people":
        later = set(PEOPLE_RESOLVED_LATER)
    else:
        # References within the file itself are resolved after writing, as the import does.
        later = {
            f.name
            for f in mapping.kind.fields
            if f.type == "ref" and f"{f.ref}s" == mapping.kind.name
        }
    parser = RowParser(
        mapping, table.header, build_lookups(org, mapping, skip=later), tz, today, file_name
    )
    labels = []
    positions = []
    for spec in parser.fields:
        fmap = mapping.fields.get(spec.name)
        column = fmap.column if fmap and fmap.column else ""
        labels.append(column or f"({spec.name})")
        positions.append(_position(table.header, column))
    result.fields = [
        (spec.name, "" if label.startswith("(") else label)
        for spec, label in zip(parser.fields, labels, strict=True)
    ]
    try:
        for number, cells in table.rows:
            problems: list[Problem] = []
            values = parser.parse(number, cells, problems)
            errors: dict[str, str] = {}
            for problem in problems:
                errors.setdefault(problem.column, problem.reason)
            row = []
            for index, spec in enumerate(parser.fields):
                position = positions[index]
                raw = cells[position] if position is not None and position < len(cells) else ""
                if values is None:
                    # A row with problems has no converted values: show what was read.
                    shown = raw.strip() or ("" if position is not None else str(spec.default or ""))
                    row.append(PreviewCell(raw, shown, errors.get(labels[index], "")))
                elif spec.type == "ref" and spec.name not in later:
                    # A reference converts to a row id; the key it was found by says more.
                    row.append(PreviewCell(raw, raw.strip() if values[index] is not None else ""))
                else:
                    row.append(PreviewCell(raw, show(values[index], tz)))
            result.rows.append(PreviewRow(number, row))
            if len(result.rows) >= limit:
                break
    except FileProblem as problem:
        result.file_problems.append(Problem(problem.row, problem.column, "", problem.reason))


def _position(header: list[str], column: str) -> int | None:
    """Where the import finds `column`: the first of that name, any case as a fallback."""
    if not column:
        return None
    for wanted in (column, column.casefold()):
        for position, name in enumerate(header):
            if (name if wanted is column else name.casefold()) == wanted:
                return position
    return None
