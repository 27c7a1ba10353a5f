"""Turn one cell's text into a typed value, or into a clear reason why not.

followthrough.ingest.rows applies these to whole columns of a batch of rows.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from followthrough.ingest.kinds import Field

MAX_DECIMAL = Decimal("99999999999999")  # fits the database columns (16 digits, 2 decimals)


class Invalid(ValueError):
    """A cell that cannot become a field value; the message is the reason."""


class MappedToEmpty(Exception):
    """The mapping turns this cell into "" (no value): it is read as an empty cell."""


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


# A whole number's format is the unit of a duration in the file; it is stored in seconds.
INT_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "milliseconds": Decimal("0.001")}
INT_FORMATS = (*INT_UNITS, "hh:mm:ss", "hh:mm")


def parse_int(value: str, spec: Field, fmt: str = "") -> int:
    if fmt in ("hh:mm:ss", "hh:mm"):
        return parse_clock(value, fmt)
    try:
        number = Decimal(value.replace(" ", ""))
    except InvalidOperation:
        raise Invalid("not a whole number") from None
    if fmt:
        number = (number * INT_UNITS[fmt]).to_integral_value()
    if number != number.to_integral_value():
        raise Invalid("not a whole number")
    if spec.nonnegative and number < 0:
        raise Invalid("must not be negative")
    if abs(number) > 2**31 - 1:
        raise Invalid("too large")
    return int(number)


def parse_clock(value: str, fmt: str) -> int:
    parts = value.split(":")
    if len(parts) != fmt.count(":") + 1 or not all(p.isdigit() for p in parts):
        raise Invalid(f"not a duration in the format {fmt}")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds * (60 if fmt == "hh:mm" else 1)


# A decimal's format names its separators; with separators, a currency sign or code is dropped.
DECIMAL_FORMATS = ("1234.56", "1,234.56", "1.234,56", "1 234,56")
CURRENCY = re.compile(r"^\s*(?:[A-Z]{3}|[$€£¥])\s*|\s*(?:[A-Z]{3}|[$€£¥])\s*$")


CENT = Decimal("0.01")  # the precision amounts are stored with
# What an import says about a number it read without refusing it (a warning).
SCIENTIFIC = "scientific"
ROUNDED = "rounded"


def _clean_decimal(value: str, fmt: str) -> str:
    if fmt and fmt != "1234.56":
        value = CURRENCY.sub("", value)
        thousands, point = fmt[1], fmt[-3]
        value = value.replace(thousands, "").replace(point, ".")
    return value.replace(" ", "")


def decimal_note(value: str, fmt: str = "") -> str:
    """SCIENTIFIC for `1e5`, ROUNDED for more decimals than are stored (`0.001`), else ""."""
    cleaned = _clean_decimal(value, fmt)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return ""
    if not number.is_finite():
        return ""
    if "e" in cleaned or "E" in cleaned:
        return SCIENTIFIC
    return ROUNDED if number != number.quantize(CENT) else ""


def parse_decimal(value: str, spec: Field, fmt: str = "") -> Decimal:
    cleaned = _clean_decimal(value, fmt)
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
    return number.quantize(CENT)


# strptime directives that give a time of day: a date so written is a moment, not a day.
TIME_DIRECTIVES = ("%H", "%I", "%z", "%c", "%X", "%T", "%R")


def parse_date(
    value: str,
    formats: tuple[str, ...],
    zone: dt.tzinfo | None = None,
    day_zone: dt.tzinfo | None = None,
) -> dt.date:
    """A day. A date and time is a moment: with an offset, or written in `zone` where that
    is not `day_zone` (the organisation's), it becomes `day_zone`'s day of that moment."""
    if formats:
        for fmt in formats:
            try:
                moment = dt.datetime.strptime(value, fmt)
            except ValueError:
                continue
            if any(directive in fmt for directive in TIME_DIRECTIVES):
                return day_of(moment, zone, day_zone)
            return moment.date()
        raise Invalid(f"not a date in the format {' or '.join(formats)}")
    if len(value) > 10 and value[10] in "T ":
        try:
            return day_of(parse_moment(value, ()), zone, day_zone)
        except Invalid:
            value = value[:10]  # a date followed by something that is no time: its date
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            raise Invalid("not a real date") from None
        raise Invalid("not a date (expected YYYY-MM-DD)") from None


def day_of(moment: dt.datetime, zone: dt.tzinfo | None, day_zone: dt.tzinfo | None) -> dt.date:
    """The day of `moment` in `day_zone`; a moment without offset is in `zone`."""
    if day_zone is None:
        return moment.date()
    if moment.tzinfo is None:
        if zone is None or zone == day_zone:
            return moment.date()
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(day_zone).date()


def parse_moment(value: str, formats: tuple[str, ...]) -> dt.datetime:
    """A date and time as written: naive (local time) unless the text gives an offset."""
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
    return moment


def parse_datetime(value: str, formats: tuple[str, ...], tz: dt.tzinfo) -> dt.datetime:
    moment = parse_moment(value, formats)
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


def org_zone(name: str) -> dt.tzinfo:
    return zoneinfo.ZoneInfo(name)


def file_clock(org_timezone: str, mapping_timezone: str) -> tuple[dt.tzinfo, dt.tzinfo, dt.date]:
    """(the organisation's zone, the zone of the file's times, today in the organisation).

    Times without an offset are in the mapping's zone; every day is the organisation's.
    """
    zone = org_zone(org_timezone)
    tz = org_zone(mapping_timezone) if mapping_timezone else zone
    return zone, tz, timezone.now().astimezone(zone).date()
