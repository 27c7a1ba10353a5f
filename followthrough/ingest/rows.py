"""Turn batches of rows into typed field values, column by column, or into clear problems.

A RowParser is built once per file (mapping + header + reference lookups) and
then given batches of rows. It works a column at a time and remembers what
each distinct cell text became (stages, owners, types repeat on every row),
so a million-row file costs little more than reading it. It does no database
work per row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from followthrough.ingest.convert import (
    Invalid,
    Lookup,
    MappedToEmpty,
    Problem,
    decimal_note,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_moment,
    parse_text,
)
from followthrough.ingest.kinds import Field, Kind
from followthrough.ingest.mapping import FieldMap, Mapping

MISSING = object()
# Cells of a batch, each followed by a newline, all `YYYY-MM-DD HH:MM:SS` (see Moments.batch).
ISO_CELLS = re.compile(r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-5][0-9]:[0-5][0-9]\n)*")
CACHE_LIMIT = 50_000  # distinct cell texts remembered per column: bounded memory
CACHED = {"choice", "bool", "ref", "int", "decimal", "date"}
# A derived day is the local day of a date-and-time field of the same kind.
DAY_OF = {"occurred_on": "occurred_at", "changed_on": "changed_at"}


class Moments:
    """Local date-and-time text to UTC text, each local hour's offset worked out once.

    A moment comes out as `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC: the form Django
    keeps in SQLite, and one PostgreSQL reads into a timestamp with time zone (every
    connection here works in UTC). Its day is the day in `day_zone` (the
    organisation's), which may not be `tz`, the zone of times written without offset.
    """

    def __init__(
        self,
        tz: dt.tzinfo,
        formats: tuple[str, ...],
        latest: dt.date | None,
        day_zone: dt.tzinfo | None = None,
    ):
        self.tz, self.formats, self.latest = tz, formats, latest
        # Days in another zone than the times': every moment is converted on its own (the
        # quick paths work a whole local hour at a time, and a day may start within one).
        self.day_zone = None if day_zone is None or day_zone == tz else day_zone
        self.offsets: dict[tuple, tuple[dt.timedelta, dt.date]] = {}
        # "YYYY-MM-DD HH" -> (offset, local day as text), for hours that are not too late
        self.hours: dict[str, tuple[dt.timedelta, str]] = {}
        # For `batch`: "YYYY-MM-DD HH" local -> the same hour in UTC ("" if the same), and
        # its local day as text.
        self.utc_hours: dict[str, str] = {}
        self.local_days: dict[str, str] = {}

    def __call__(self, text: str) -> tuple[str, dt.date]:
        """(the moment in UTC, its local day)."""
        moment = parse_moment(text, self.formats)
        if moment.tzinfo is None:
            offset, day = self.offset(moment)
            moment -= offset
        else:
            day = moment.astimezone(self.tz).date()
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        if self.day_zone is not None:
            day = moment.replace(tzinfo=dt.UTC).astimezone(self.day_zone).date()
        if self.latest is not None and day > self.latest:
            raise Invalid("in the future")
        return moment.isoformat(" "), day

    def offset(self, moment: dt.datetime) -> tuple[dt.timedelta, dt.date]:
        # Offsets change on the hour (DST), so one offset serves a whole local hour.
        hour = (moment.year, moment.month, moment.day, moment.hour)
        known = self.offsets.get(hour)
        if known is None:
            start = dt.datetime(*hour, tzinfo=self.tz)
            known = self.offsets[hour] = (start.utcoffset(), start.date())
        return known

    def plain(self, cell: str) -> tuple[str, dt.date] | None:
        """The common case quickly: a local ISO time; None for anything else."""
        if self.day_zone is not None:
            return None
        try:
            moment = dt.datetime.fromisoformat(cell)
        except ValueError:
            return None
        if moment.tzinfo is not None:
            return None
        offset, day = self.offset(moment)
        if self.latest is not None and day > self.latest:
            return None
        if not offset and len(cell) == 19 and cell[10] == " ":
            return cell, day  # already the stored form
        return (moment - offset).isoformat(" "), day

    def batch(self, cells: Sequence[str]) -> tuple[Sequence[str], list[str]] | None:
        """`iso` for a whole batch at once, if every cell is `YYYY-MM-DD HH:MM:SS`; else None.

        One regular expression checks the form of every cell, and each local hour is
        worked out once (its date and hour, its day, whether that is too late, and its
        UTC hour): a moment's UTC text is then its hour's and its own minutes and
        seconds. Offsets that are not whole hours are left to `iso`.
        """
        if not cells or not ISO_CELLS.fullmatch("\n".join(cells) + "\n"):
            return None
        hours = [cell[:13] for cell in cells]
        utc_of, day_of = self.utc_hours, self.local_days
        for hour in set(hours).difference(day_of):
            start = hour + ":00:00"
            if self.plain(start) is None:
                return None  # no such date or hour, or a day too late
            offset, day = self.offset(dt.datetime.fromisoformat(start))
            if offset % dt.timedelta(hours=1):
                return None
            utc = (dt.datetime.fromisoformat(start) - offset).isoformat(" ")[:13]
            utc_of[hour] = "" if utc == hour else utc
            day_of[hour] = day.isoformat()
        days = list(map(day_of.__getitem__, hours))
        if not any(utc_of[hour] for hour in set(hours)):
            return cells, days  # already the stored form
        values = [
            utc_of[hour] + cell[13:] if utc_of[hour] else cell
            for hour, cell in zip(hours, cells, strict=True)
        ]
        return values, days

    def iso(self, cell: str) -> tuple[str, str] | None:
        """`plain` for `YYYY-MM-DD HH:MM:SS`, the usual export form, with its day as text.

        Date and hour are checked once per hour seen (with the offset and whether
        the day is too late); minutes and seconds are checked here.
        """
        if len(cell) != 19 or cell[10] != " " or cell[13] != ":" or cell[16] != ":":
            return self.plain(cell)
        known = self.hours.get(cell[:13])
        if known is None:
            pair = self.plain(cell)
            if pair is None:
                return None
            offset, day = self.offset(dt.datetime.fromisoformat(cell))
            known = self.hours[cell[:13]] = (offset, day.isoformat())
            return pair[0], known[1]
        minute, second = cell[14:16], cell[17:19]
        if not (minute.isascii() and minute.isdigit() and minute < "60"):
            return None
        if not (second.isascii() and second.isdigit() and second < "60"):
            return None
        offset, day = known
        if not offset:
            return cell, day  # already the stored form
        return (dt.datetime.fromisoformat(cell) - offset).isoformat(" "), day


class Column:
    """How one field is read from a batch: which cells, how converted, what if empty."""

    def __init__(
        self, spec: Field, fmap: FieldMap | None, positions: list[int], convert, plain=None
    ):
        self.spec, self.positions, self.convert = spec, positions, convert
        # A default is in our terms already: it is not looked up in the mapping's map.
        self.convert_default = plain or convert
        self.label = (fmap.column if fmap else "") or f"({spec.name})"
        self.default = fmap.default if fmap else None
        if self.default is None and spec.default is not None:
            self.default = str(spec.default)  # e.g. an empty outcome is "open"
        self.split = fmap.split if fmap else ""
        self.truncate = fmap.truncate if fmap else 0
        self.empty = "" if spec.type in ("text", "choice") else None
        # Decimal cells read with a warning (see convert.decimal_note): cell text -> what.
        self.notes: dict[str, str] | None = {} if spec.type == "decimal" else None
        self.format = fmap.formats[0] if fmap and fmap.formats else ""
        self.cache: dict | None = {} if spec.type in CACHED else None
        self.noted: list | None = None  # the last `read`'s notes
        self.days: list | None = None  # local days of a datetime column, when a field needs them
        self.plain_moments: Moments | None = None
        if (
            spec.type == "datetime"
            and fmap is not None
            and fmap.values is None
            and not fmap.split
            and not fmap.truncate
            and not fmap.formats
        ):
            self.plain_moments = getattr(convert, "moments", None)
        self.plain_text = (
            spec.type == "text"
            and fmap is not None
            and fmap.values is None
            and not fmap.split
            and not fmap.truncate
            and fmap.default is None
        )

    def value(self, raw: str):
        text = raw.strip()
        if self.split and text:
            text = text.split(self.split, 1)[0].strip()
        if self.truncate:
            text = text[: self.truncate]
        if text:
            try:
                return self.convert(text)
            except MappedToEmpty:
                pass  # as if the cell were empty: the default, if any, applies
        if self.default:
            return self.convert_default(self.default)
        if self.spec.required:
            raise Invalid("required, but empty")
        return self.empty

    def cells(self, rows: list[list[str]], columns: list[tuple[str, ...]]) -> list[str] | tuple:
        if len(self.positions) == 1:
            return columns[self.positions[0]]
        if not self.positions:
            return ("",) * len(rows)
        return [
            " ".join(part for part in (row[p].strip() for p in self.positions) if part)
            for row in rows
        ]

    def read(self, cells, numbers: list[int], found: list[tuple]) -> list:
        """The values of one column; each problem goes to `found` as (row, order, problem)."""
        values = self._read(cells, numbers, found)
        if self.notes is not None and self.notes:
            get = self.notes.get
            self.noted = [
                (get(cell), numbers[index], self.label, cell.strip())
                for index, cell in enumerate(cells)
                if get(cell) and values[index] is not None
            ]
        return values

    def _note(self, cell: str, value) -> None:
        if self.notes is not None and value is not None and len(self.notes) < CACHE_LIMIT:
            note = decimal_note(cell.strip(), self.format)
            if note:
                self.notes[cell] = note

    def _read(self, cells, numbers: list[int], found: list[tuple]) -> list:
        if self.plain_text:
            texts = list(map(str.strip, cells))
            longest = max(map(len, texts), default=0)
            if longest <= (self.spec.max_length or longest) and not (
                self.spec.required and "" in texts
            ):
                return texts
        if self.spec.type == "datetime":
            return self._read_moments(cells, numbers, found)
        cache = self.cache
        if cache is None:
            values: list = []
            append = values.append
            for index, cell in enumerate(cells):
                try:
                    append(self.value(cell))
                    self._note(cell, values[-1])
                except Invalid as error:
                    found.append(self._problem(numbers[index], cell, error))
                    append(None)
            return values
        try:
            # Every text seen before: the usual case once a file is under way.
            return list(map(cache.__getitem__, cells))
        except KeyError:
            pass
        get = cache.get
        values = [get(cell, MISSING) for cell in cells]
        for index, value in enumerate(values):
            if value is not MISSING:
                continue
            cell = cells[index]
            try:
                value = self.value(cell)
            except Invalid as error:
                found.append(self._problem(numbers[index], cell, error))
                value = None
            else:
                self._note(cell, value)
                if len(cache) < CACHE_LIMIT:
                    cache[cell] = value
            values[index] = value
        return values

    def _read_moments(self, cells, numbers, found) -> list:
        moments = self.plain_moments
        quick = moments.batch(cells) if moments else None
        if quick is not None:
            values, self.days = quick
            return values
        values: list = []
        days: list = []
        for index, cell in enumerate(cells):
            pair = moments.iso(cell) if moments else None
            if pair is None:  # not the common case: the full path converts or says why not
                try:
                    pair = self.value(cell)
                except Invalid as error:
                    found.append(self._problem(numbers[index], cell, error))
                    pair = None
            if pair is None:
                values.append(None)
                days.append(None)
            else:
                values.append(pair[0])
                days.append(pair[1])
        self.days = days
        return values

    def _problem(self, row: int, cell: str, error: Invalid) -> tuple:
        return (row, self.order, Problem(row, self.label, cell.strip()[:200], str(error)))


class RowParser:
    """Parse batches of rows into value lists in `self.fields` order (+ derived days)."""

    def __init__(
        self,
        mapping: Mapping,
        header: list[str],
        lookups: dict[str, Lookup],
        tz: dt.tzinfo,
        today: dt.date,
        file_name: str,
        *,
        derived: tuple[str, ...] = (),
        day_zone: dt.tzinfo | None = None,
    ):
        """`tz`: the zone of times written without an offset; `day_zone`: the organisation's,
        whose days every date is (default `tz`); `today`: its day today."""
        self.kind: Kind = mapping.kind
        self.file_name = file_name
        index = header_index(header)
        self.fields: list[Field] = []
        self.columns: list[Column] = []
        latest = today + dt.timedelta(days=1)
        for fmap in mapping.fields.values():
            spec = self.kind.by_name[fmap.name]
            positions = [
                p for p in (find_column(index, part) for part in fmap.parts) if p is not None
            ]
            convert = converter(spec, fmap, lookups, tz, latest, day_zone)
            plain = converter(spec, replace(fmap, values=None), lookups, tz, latest, day_zone)
            self.fields.append(spec)
            self.columns.append(Column(spec, fmap, positions, convert, plain))
        for spec in self.kind.fields:
            if spec.name not in mapping.fields and spec.default is not None:
                self.fields.append(spec)
                self.columns.append(Column(spec, None, [], lambda text, v=spec.default: v))
        for order, column in enumerate(self.columns):
            column.order = order
        names = [f.name for f in self.fields]
        self.derived = [self.columns[names.index(DAY_OF[name])] for name in derived]
        self.width = max((p for c in self.columns for p in c.positions), default=-1) + 1

    def parse_batch(
        self,
        batch: list[tuple[int, list[str]]],
        problems: list[Problem],
        notes: list[tuple] | None = None,
    ) -> tuple[list[tuple], set[int]]:
        """(row number, *values, *derived) of every good row, and the numbers of bad rows.

        `notes` gets (what, row, column, cell) for values read with a warning (convert.SCIENTIFIC
        or convert.ROUNDED) in good rows.
        """
        width = self.width
        numbers, rows = zip(*batch, strict=True)
        if min(map(len, rows)) < width:  # short rows: the missing cells are empty
            rows = [cells + [""] * (width - len(cells)) for cells in rows]
        columns = list(zip(*rows, strict=False)) if width else []
        found: list[tuple] = []
        noted: list[tuple] = []
        values = []
        for column in self.columns:
            column.noted = None
            values.append(column.read(column.cells(rows, columns), numbers, found))
            if column.noted:
                noted += column.noted
        values += [column.days for column in self.derived]
        good = list(zip(numbers, *values, strict=True))
        if not found:
            if notes is not None:
                notes += noted
            return good, set()
        found.sort(key=lambda item: (item[0], item[1]))
        problems.extend(problem for _, _, problem in found)
        bad = {row for row, _, _ in found}
        if notes is not None:
            notes += [note for note in noted if note[1] not in bad]
        return [row for row in good if row[0] not in bad], bad

    def parse(self, row: int, cells: list[str], problems: list[Problem]) -> list | None:
        """The field values of one row, or None when it has problems (added to `problems`).

        Dates and times come back as aware datetimes (in UTC), not as staged text, and
        yes/no as booleans, not as staged 1 or 0.
        """
        good, _ = self.parse_batch([(row, cells)], problems)
        if not good:
            return None
        values = list(good[0][1 : 1 + len(self.fields)])
        for index, spec in enumerate(self.fields):
            if values[index] is None:
                continue
            if spec.type == "datetime":
                values[index] = dt.datetime.fromisoformat(values[index]).replace(tzinfo=dt.UTC)
            elif spec.type == "bool":
                values[index] = bool(values[index])
        return values


def header_index(header: list[str]) -> dict[str, int]:
    """Column name -> position; the first of repeated names, and any case as a fallback."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name, position)
    for position, name in enumerate(header):
        index.setdefault(name.casefold(), position)
    return index


def find_column(index: dict[str, int], name: str) -> int | None:
    found = index.get(name)
    return index.get(name.casefold()) if found is None else found


def converter(
    spec: Field, fmap: FieldMap, lookups, tz, latest, day_zone=None
) -> Callable[[str], object]:
    values = fmap.values
    fallback = values.get("*") if values else None
    # For choices a map must know every value; elsewhere it corrects some and passes the rest.
    strict = spec.type in ("choice", "bool")
    fmt = fmap.formats[0] if fmap.formats else ""

    def translated(raw: str) -> str:
        if values is None:
            return raw
        found = values.get(raw.casefold(), fallback)
        if found is None:
            if not strict:
                return raw
            known = ", ".join(sorted(values))
            raise Invalid(f"unknown value; the mapping knows: {known}")
        if not found:
            raise MappedToEmpty  # "no value", whatever the field's type
        return found

    if spec.type == "text":
        return lambda raw: parse_text(translated(raw), spec)
    if spec.type == "int":
        return lambda raw: parse_int(translated(raw), spec, fmt)
    if spec.type == "decimal":
        return lambda raw: parse_decimal(translated(raw), spec, fmt)
    if spec.type == "bool":
        # 1 or 0, not True or False: the SQLite driver binds a bool (an int subclass) through
        # its slow adapter path, a quarter of the staging time of a file with one such column.
        return lambda raw: int(parse_bool(translated(raw)))
    if spec.type == "date":

        def date(raw: str) -> dt.date:
            day = parse_date(translated(raw), fmap.formats, tz, day_zone or tz)
            if spec.not_future and day > latest:
                raise Invalid("in the future")
            return day

        return date
    if spec.type == "datetime":
        moments = Moments(tz, fmap.formats, latest if spec.not_future else None, day_zone)

        def moment(raw: str) -> tuple[str, dt.date]:
            return moments(translated(raw))

        moment.moments = moments
        return moment
    if spec.type == "choice":
        allowed = {}
        for choice in spec.choices:
            allowed[choice.value.casefold()] = choice.value
            allowed[str(choice.label).casefold()] = choice.value

        def choose(raw: str) -> str:
            value = translated(raw)
            found = allowed.get(value.casefold())
            if found is None:
                raise Invalid(
                    f"unknown value; expected one of {', '.join(c.value for c in spec.choices)}"
                )
            return found

        return choose
    if spec.type == "ref":
        lookup = lookups.get(spec.name)
        if lookup is None:  # resolved after writing (a reference within the same file)
            return translated
        return lambda raw: lookup.find(translated(raw))
    raise AssertionError(spec.type)
