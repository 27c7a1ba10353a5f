"""Preview an upload: the problems the import would find, then its first rows as converted.

The preview checks rows with the import's own functions: a people file is checked whole
by people.check_people (the run's own check); other kinds are read with the run's row
parser, up to CHECK_ROWS rows (the rest, and repeated ids, are checked by the run).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.conf import settings

from followthrough.ingest.convert import Problem, file_clock

# The very parser and header check the import runs with, so the preview cannot differ.
from followthrough.ingest.importer import RowParser, check_header
from followthrough.ingest.lookups import build_lookups
from followthrough.ingest.mapping import Mapping
from followthrough.ingest.models import Said
from followthrough.ingest.people import check_people
from followthrough.ingest.readers import FileProblem, Table, open_table
from followthrough.ingest.uploads import Draft, stored_path
from followthrough.people.models import Organisation

PREVIEW_ROWS = 10
# Rows of a facts file the preview converts to find problems: a second or two of work.
CHECK_ROWS = 20_000
# Problems listed at the top of the preview; the count is always exact.
PROBLEMS_SHOWN = 50
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
    skip_invalid: bool = False
    problems: list[Problem] = field(default_factory=list)  # per row, in row order
    rows_checked: int = 0
    complete: bool = True  # every row of the file was checked

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def good_rows(self) -> int:
        return self.rows_checked - self.bad_rows

    @property
    def problems_shown(self) -> list[Problem]:
        return self.problems[:PROBLEMS_SHOWN]

    @property
    def can_run(self) -> bool:
        """Whether running would write anything, as the run treats invalid rows."""
        if self.file_problems or not self.rows_checked:
            return False
        if not self.problems:
            return True
        # All or nothing refuses the file; skipping needs at least one good row.
        return self.skip_invalid and (self.good_rows > 0 or not self.complete)


def show(value: object, tz: dt.tzinfo) -> str:
    """A converted value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def _open(draft: Draft, mapping: Mapping) -> Table:
    return open_table(
        stored_path(draft.stored),
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
        max_bytes=settings.UPLOAD_MAX_BYTES,
    )


def preview(
    draft: Draft, org: Organisation, limit: int = PREVIEW_ROWS, check: int = CHECK_ROWS
) -> Preview:
    """Check a draft as the import would and show its first `limit` rows, writing nothing."""
    mapping = draft.mapping()
    try:
        table = _open(draft, mapping)
    except FileProblem as problem:
        return _in_readers_language(
            Preview([], [], [Problem(problem.row, problem.column, "", problem.reason)])
        )
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
    result.skip_invalid = draft.skip_invalid
    try:
        if not result.file_problems:
            # A people file is checked whole below, by the run's own check.
            people = mapping.kind.name == "people"
            _read_rows(
                result, table, mapping, org, draft.file_name, limit, limit if people else check
            )
    finally:
        table.rows.close()
    if mapping.kind.name == "people" and not result.file_problems:
        _check_people(result, draft, mapping, org)
    return _in_readers_language(result)


def _in_readers_language(result: Preview) -> Preview:
    """Reasons shown in the reader's language, as the run's page shows them (reasons.py)."""
    result.problems = [replace(p, reason=Said(p.reason)) for p in result.problems]
    result.file_problems = [replace(p, reason=Said(p.reason)) for p in result.file_problems]
    for row in result.rows:
        row.cells = [replace(c, error=Said(c.error)) if c.error else c for c in row.cells]
    return result


def _check_people(result: Preview, draft: Draft, mapping: Mapping, org: Organisation) -> None:
    """The whole people file through the run's own check (a few hundred rows)."""
    table = _open(draft, mapping)
    try:
        checked = check_people(org, table, mapping, draft.file_name)
    finally:
        table.rows.close()
    result.problems = list(checked.problems)
    if checked.unreadable is not None:
        result.file_problems.append(checked.unreadable)
    result.rows_checked, result.complete = checked.rows_read, True
    by_row: dict[int, dict[str, str]] = {}
    for problem in result.problems:
        by_row.setdefault(problem.row, {}).setdefault(problem.column, problem.reason)
    for row in result.rows:
        errors = by_row.get(row.number, {})
        for (_, column), cell in zip(result.fields, row.cells, strict=True):
            if column in errors and not cell.error:
                cell.error = errors[column]


def _read_rows(
    result: Preview,
    table: Table,
    mapping: Mapping,
    org: Organisation,
    file_name: str,
    limit: int,
    check: int,
) -> None:
    zone, tz, today = file_clock(org.timezone, mapping.timezone)
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
        mapping,
        table.header,
        build_lookups(org, mapping, skip=later),
        tz,
        today,
        file_name,
        day_zone=zone,
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
    result.complete = False
    try:
        for number, cells in table.rows:
            problems: list[Problem] = []
            values = parser.parse(number, cells, problems)
            result.problems.extend(problems)
            result.rows_checked += 1
            if len(result.rows) >= limit:
                if result.rows_checked >= check:
                    break
                continue
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
        else:
            result.complete = True
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
