"""Turn the cells of one row into typed field values, or into clear problems.

A RowParser is built once per file (mapping + header + reference lookups)
and then called per row; it does no database work per row.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from followthrough.ingest.kinds import Field, Kind
from followthrough.ingest.mapping import FieldMap, Mapping

MAX_DECIMAL = Decimal("99999999999999")  # fits the database columns (16 digits, 2 decimals)


class Invalid(ValueError):
    """A cell that cannot become a field value; the message is the reason."""


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    value: str
    reason: str


def parse_text(value: str, spec: Field) -> str:
    # Text that looks like a formula (=, +, -, @) is kept as it is: it is data here, and
    # every CSV written back escapes it (followthrough.ingest.csvout).
    if spec.max_length and len(value) > spec.max_length:
        raise Invalid(f"longer than {spec.max_length} characters ({len(value):,})")
    return value


def parse_int(value: str, spec: Field) -> int:
    try:
        number = Decimal(value.replace(" ", ""))
    except InvalidOperation:
        raise Invalid("not a whole number") from None
    if number != number.to_integral_value():
        raise Invalid("not a whole number")
    if spec.nonnegative and number < 0:
        raise Invalid("must not be negative")
    if abs(number) > 2**31 - 1:
        raise Invalid("too large")
    return int(number)


def parse_decimal(value: str, spec: Field) -> Decimal:
    cleaned = value.replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise Invalid("not a number (use digits and a decimal point, e.g. 1234.50)") from None
    if not number.is_finite():
        raise Invalid("not a number")
    if spec.nonnegative and number < 0:
        raise Invalid("must not be negative")
    if abs(number) > MAX_DECIMAL:
        raise Invalid("too large")
    return number.quantize(Decimal("0.01"))


def parse_date(value: str, formats: tuple[str, ...]) -> dt.date:
    if formats:
        for fmt in formats:
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        raise Invalid(f"not a date in the format {' or '.join(formats)}")
    try:
        return dt.date.fromisoformat(value[:10] if len(value) > 10 and value[10] in "T " else value)
    except ValueError:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            raise Invalid("not a real date") from None
        raise Invalid("not a date (expected YYYY-MM-DD)") from None


def parse_datetime(value: str, formats: tuple[str, ...], tz: dt.tzinfo) -> dt.datetime:
    moment = None
    if formats:
        for fmt in formats:
            try:
                moment = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            raise Invalid(f"not a date and time in the format {' or '.join(formats)}")
    else:
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            if len(value) >= 10 and value[4] == "-" and value[7] == "-":
                raise Invalid("not a real date and time") from None
            raise Invalid("not a date and time (expected YYYY-MM-DD HH:MM)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(dt.UTC)


TRUE = {"true", "yes", "y", "1", "t", "x"}
FALSE = {"false", "no", "n", "0", "f"}


def parse_bool(value: str) -> bool:
    lowered = value.casefold()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise Invalid("not yes or no")


class Lookup:
    """Find referenced rows by key; filled once per file from one query each."""

    def __init__(self, keys: dict[str, int], ambiguous: set[str], label: str):
        self.keys, self.ambiguous, self.label = keys, ambiguous, label

    def find(self, key: str) -> int:
        folded = key.casefold()
        if folded in self.ambiguous:
            raise Invalid(f"more than one {self.label} matches {key!r}; use an external id")
        found = self.keys.get(folded)
        if found is None:
            raise Invalid(f"unknown {self.label} {key!r}")
        return found


class RowParser:
    """Parse rows of one file into tuples in `self.fields` order."""

    def __init__(
        self,
        mapping: Mapping,
        header: list[str],
        lookups: dict[str, Lookup],
        tz: dt.tzinfo,
        today: dt.date,
        file_name: str,
    ):
        self.kind: Kind = mapping.kind
        self.file_name = file_name
        index = {}
        for position, name in enumerate(header):
            index.setdefault(name, position)
        self.fields: list[Field] = []
        self.steps: list[Callable[[list[str], int, list[Problem]], object]] = []
        latest = today + dt.timedelta(days=1)
        for fmap in mapping.fields.values():
            spec = self.kind.by_name[fmap.name]
            position = index.get(fmap.column) if fmap.column else None
            self.fields.append(spec)
            self.steps.append(self._step(spec, fmap, position, lookups, tz, latest))
        for spec in self.kind.fields:
            if spec.name not in mapping.fields and spec.default is not None:
                self.fields.append(spec)
                self.steps.append(lambda cells, row, problems, v=spec.default: v)

    def _step(self, spec: Field, fmap: FieldMap, position, lookups, tz, latest):
        column = fmap.column or f"({spec.name})"
        convert = self._converter(spec, fmap, lookups, tz, latest)
        default = fmap.default

        def step(cells: list[str], row: int, problems: list[Problem]):
            raw = cells[position].strip() if position is not None and position < len(cells) else ""
            if fmap.split and raw:
                raw = raw.split(fmap.split, 1)[0].strip()
            if not raw:
                raw = default or ""
            if not raw:
                if spec.required:
                    problems.append(Problem(row, column, "", "required, but empty"))
                return "" if spec.type in ("text", "choice") else None
            try:
                return convert(raw)
            except Invalid as error:
                problems.append(Problem(row, column, raw[:200], str(error)))
                return None

        return step

    def _converter(self, spec: Field, fmap: FieldMap, lookups, tz, latest):
        values = fmap.values

        # For choices a map must know every value; elsewhere it corrects some and passes the rest.
        strict = spec.type in ("choice", "bool")

        def translated(raw: str) -> str:
            if values is None:
                return raw
            found = values.get(raw.casefold())
            if found is None:
                if not strict:
                    return raw
                known = ", ".join(sorted(values))
                raise Invalid(f"unknown value; the mapping knows: {known}")
            return found

        if spec.type == "text":
            return lambda raw: parse_text(translated(raw), spec)
        if spec.type == "int":
            return lambda raw: parse_int(translated(raw), spec)
        if spec.type == "decimal":
            return lambda raw: parse_decimal(translated(raw), spec)
        if spec.type == "bool":
            return lambda raw: parse_bool(translated(raw))
        if spec.type == "date":

            def date(raw: str) -> dt.date:
                day = parse_date(translated(raw), fmap.formats)
                if spec.not_future and day > latest:
                    raise Invalid("in the future")
                return day

            return date
        if spec.type == "datetime":

            def moment(raw: str) -> dt.datetime:
                when = parse_datetime(translated(raw), fmap.formats, tz)
                if spec.not_future and when.astimezone(tz).date() > latest:
                    raise Invalid("in the future")
                return when

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
                return lambda raw: translated(raw)
            return lambda raw: lookup.find(translated(raw))
        raise AssertionError(spec.type)

    def parse(self, row: int, cells: list[str], problems: list[Problem]) -> list | None:
        """The field values of one row, or None when it has problems (added to `problems`)."""
        before = len(problems)
        values = [step(cells, row, problems) for step in self.steps]
        return None if len(problems) > before else values


def org_zone(name: str) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(name)
