"""Stream rows out of CSV and XLSX files without holding the file in memory.

Whatever the file, rows come out as lists of strings with the number a
spreadsheet would show (the header is row 1). Anything that makes the file
unreadable raises FileProblem with the row where it was found.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
# One field may be large (a long note), not unbounded: a runaway quote ends here.
FIELD_LIMIT = 1024 * 1024


class FileProblem(Exception):
    """The file cannot be read as a table; `row` says where, when known."""

    def __init__(self, reason: str, row: int | None = None, column: str = ""):
        super().__init__(reason)
        self.reason, self.row, self.column = reason, row, column


@dataclass
class Table:
    """An open table: its header and an iterator of (row number, values)."""

    path: Path
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    size: int
    format: str
    encoding: str = ""
    delimiter: str = ""
    _position: object = None

    @property
    def bytes_read(self) -> int:
        return self._position() if self._position else 0


def open_table(
    path: str | os.PathLike,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int | None = None,
) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise FileProblem(f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    if size == 0:
        raise FileProblem("the file is empty")
    with path.open("rb") as probe:
        head = probe.read(SNIFF_BYTES)
    if head.startswith(b"PK\x03\x04"):
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise FileProblem(
                "this is a ZIP or XLSX file, not CSV: save it as .xlsx or export it as CSV"
            )
        return _open_xlsx(path, size)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileProblem("the file is named .xlsx but is not an Excel workbook")
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem("this is a binary file, not a CSV text file")
    return _open_csv(path, size, head, encoding, delimiter)


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still UTF-8.
        if error.start < len(head) - 4:
            return "latin-1"
    return "utf-8"


def _detect_delimiter(sample: str) -> str:
    first_line = sample.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _open_csv(path, size, head, encoding, delimiter) -> Table:
    encoding = encoding or _detect_encoding(head)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise FileProblem(f"unknown encoding {encoding!r}") from None
    sample = head.decode(encoding, errors="ignore")
    delimiter = delimiter or _detect_delimiter(sample)
    raw = path.open("rb")
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raw.close()
        raise FileProblem("the file is empty") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raw.close()
        raise _located(error, path, encoding, delimiter, [], 1, 1) from None
    header = [name.strip() for name in header]
    if not any(header):
        raw.close()
        raise FileProblem("the first row (the header) is empty", row=1)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            while True:
                line = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except (csv.Error, UnicodeDecodeError) as error:
                    raw.close()
                    raise _located(
                        error, path, encoding, delimiter, header, number + 1, line
                    ) from None
                number += 1
                # A blank line, or a row of empty cells, is no row.
                if values and (values[0] or any(values)):
                    yield number, values
        finally:
            raw.close()

    return Table(
        path=path,
        header=header,
        rows=rows(),
        size=size,
        format="csv",
        encoding=encoding,
        delimiter=delimiter,
        _position=lambda: raw.tell() if not raw.closed else size,
    )


def _located(error, path, encoding, delimiter, header, row: int, line: int) -> FileProblem:
    """The problem with the row and column where it really is (found again on this slow path)."""
    if isinstance(error, UnicodeDecodeError):
        # The decoder reads ahead, so the row being parsed is not the one with the bad bytes.
        found = _first_undecodable(path, encoding, delimiter)
        if found is not None:
            row, position, first = found
            return _problem(error, row, encoding, _name(header or first, position))
        return _problem(error, row, encoding)
    position = _open_field(path, encoding, delimiter, line)
    return _problem(error, row, encoding, _name(header, position))


def _name(header: list[str], position: int | None) -> str:
    if position is None:
        return ""
    return header[position] if position < len(header) else f"(column {position + 1})"


def _first_undecodable(path: Path, encoding: str, delimiter: str):
    """(row, column index, header) of the first cell with bytes the encoding cannot decode."""
    with path.open(encoding=encoding, errors="surrogateescape", newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        header: list[str] = []
        try:
            for number, values in enumerate(reader, start=1):
                header = header or [name.strip() for name in values]
                for position, value in enumerate(values):
                    if any("\udc80" <= char <= "\udcff" for char in value):
                        return number, position, header
        except csv.Error:
            return None
    return None


def _open_field(path: Path, encoding: str, delimiter: str, line: int) -> int | None:
    """Index of the field on physical `line` whose quote never closes or that never ends."""
    with path.open(encoding=encoding, errors="replace", newline="") as text:
        content = next(itertools.islice(text, line - 1, None), None)
    if content is None:
        return None
    content = content.rstrip("\r\n")
    position, start, quoted = 0, 0, False
    index = 0
    while index < len(content):
        char = content[index]
        if quoted:
            if char == '"':
                if content[index + 1 : index + 2] == '"':
                    index += 1
                else:
                    quoted = False
        elif char == '"' and index == start:
            quoted = True
        elif char == delimiter:
            if index - start > FIELD_LIMIT:
                return position
            position, start = position + 1, index + 1
        index += 1
    return position if quoted or len(content) - start > FIELD_LIMIT else None


def _problem(error: Exception, row: int, encoding: str, column: str = "") -> FileProblem:
    if isinstance(error, UnicodeDecodeError):
        return FileProblem(
            f"the text is not valid {encoding}: set encoding in the mapping (e.g. 'latin-1')",
            row=row,
            column=column,
        )
    message = str(error)
    if "field larger than field limit" in message:
        return FileProblem(
            f"a field is larger than {FIELD_LIMIT:,} characters (an unclosed quote?)",
            row=row,
            column=column,
        )
    if "unexpected end of data" in message or "EOF" in message:
        return FileProblem("a quote opened here is never closed", row=row, column=column)
    return FileProblem(f"malformed CSV: {message}", row=row, column=column)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(path: Path, size: int) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(f"this workbook cannot be opened: {error}") from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v).strip() for v in next(iterator)]
    except StopIteration:
        workbook.close()
        raise FileProblem("the first sheet is empty") from None
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        raise FileProblem("the first row (the header) is empty", row=1)
    progress = {"rows": 0}

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(iterator, start=2):
                progress["rows"] = number
                cells = [_cell(v) for v in values[: len(header)]]
                if any(cells):
                    yield number, cells
        finally:
            workbook.close()

    total = max(sheet.max_row or 1, 1)
    return Table(
        path=path,
        header=header,
        rows=rows(),
        size=size,
        format="xlsx",
        _position=lambda: int(size * min(progress["rows"] / total, 1.0)),
    )
