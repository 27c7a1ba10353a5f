"""Mapping files: which column feeds which field, and how the values translate.

A mapping is TOML. The short form names a column per field:

    kind = "deals"
    source = "hubspot"
    [columns]
    external_id = "Record ID"
    amount = "Amount"

The long form says more about one field:

    [fields.outcome]
    column = "Deal Stage"
    map = { "Closed Won" = "won", "Closed Lost" = "lost" }
    default = "open"          # used when the cell is empty
    format = "%m/%d/%Y"       # dates: strptime formats (a list is tried in order)
    match = "name"            # references: find the person/account/product by name
    create_missing = true     # references to people and teams: create them
    split = ";"               # take the first of several values in one cell
    optional = true           # the column may be missing from a file
    truncate = 15             # keep the first 15 characters

docs/import.md documents every key.
"""

from __future__ import annotations

import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from followthrough.ingest.convert import DECIMAL_FORMATS, INT_FORMATS
from followthrough.ingest.kinds import KINDS, Kind

TOP_KEYS = {
    "kind",
    "source",
    "encoding",
    "delimiter",
    "date_format",
    "datetime_format",
    "timezone",
    "columns",
    "fields",
    "strict_columns",
    "description",
}
FIELD_KEYS = {
    "column",
    "map",
    "default",
    "format",
    "match",
    "create_missing",
    "split",
    "value",
    "optional",
    "truncate",
}
MATCHES = {"external_id", "name", "email"}


class MappingError(Exception):
    """The mapping file is malformed; the message says where."""


@dataclass
class FieldMap:
    name: str
    column: str = ""
    # Several columns joined with a space (e.g. first and last name, date and time).
    parts: tuple[str, ...] = ()
    values: dict[str, str] | None = None
    default: str | None = None
    formats: tuple[str, ...] = ()
    match: str = "external_id"
    create_missing: bool = False
    split: str = ""
    optional: bool = False  # the column may be absent from a file: the field is then empty
    truncate: int = 0  # keep the first N characters (e.g. 15-character Salesforce ids)


@dataclass
class Mapping:
    kind: Kind
    source: str
    fields: dict[str, FieldMap]
    encoding: str | None = None
    delimiter: str | None = None
    timezone: str | None = None
    strict_columns: bool = False
    description: str = ""
    path: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def columns(self) -> set[str]:
        return {part for f in self.fields.values() for part in f.parts}


def load_mapping(path: str | Path, kind: str | None = None) -> Mapping:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: no such mapping file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: not valid TOML: {error}") from None
    return parse_mapping(data, kind=kind, name=str(path))


def parse_mapping(data: dict, *, kind: str | None = None, name: str = "mapping") -> Mapping:
    def fail(message: str):
        raise MappingError(f"{name}: {message}")

    unknown = set(data) - TOP_KEYS
    if unknown:
        fail(f"unknown keys {', '.join(sorted(unknown))}; known: {', '.join(sorted(TOP_KEYS))}")
    kind_name = data.get("kind") or kind
    if kind is not None and data.get("kind") not in (None, kind):
        fail(f"this mapping is for {data['kind']!r}, not {kind!r}")
    if kind_name not in KINDS:
        fail(f"kind must be one of {', '.join(KINDS)}")
    spec = KINDS[kind_name]
    fields: dict[str, FieldMap] = {}

    def column_of(fmap: FieldMap, column: object, where: str) -> None:
        if isinstance(column, str) and column:
            fmap.column, fmap.parts = column, (column,)
        elif isinstance(column, list) and column and all(isinstance(c, str) for c in column):
            fmap.column, fmap.parts = " + ".join(column), tuple(column)
        else:
            fail(f"{where} must be a column name or a list of column names")

    for field_name, column in (data.get("columns") or {}).items():
        fields[field_name] = FieldMap(field_name)
        column_of(fields[field_name], column, f"columns.{field_name}")
    for field_name, options in (data.get("fields") or {}).items():
        if not isinstance(options, dict):
            fail(f"fields.{field_name} must be a table")
        bad = set(options) - FIELD_KEYS
        if bad:
            fail(f"fields.{field_name}: unknown keys {', '.join(sorted(bad))}")
        fmap = fields.get(field_name) or FieldMap(field_name)
        if "column" in options:
            column_of(fmap, options["column"], f"fields.{field_name}.column")
        if "map" in options:
            if not isinstance(options["map"], dict):
                fail(f"fields.{field_name}.map must be a table of source value = our value")
            fmap.values = {str(k).strip().casefold(): str(v) for k, v in options["map"].items()}
        if "default" in options or "value" in options:
            fmap.default = str(options.get("value", options.get("default")))
        fmt = options.get("format")
        if fmt is not None:
            fmap.formats = (fmt,) if isinstance(fmt, str) else tuple(fmt)
        match = options.get("match", "external_id")
        if match not in MATCHES:
            fail(f"fields.{field_name}.match must be one of {', '.join(sorted(MATCHES))}")
        fmap.match = match
        fmap.create_missing = bool(options.get("create_missing", False))
        fmap.split = options.get("split", "")
        fmap.optional = bool(options.get("optional", False))
        truncate = options.get("truncate", 0)
        if not isinstance(truncate, int) or isinstance(truncate, bool) or truncate < 0:
            fail(f"fields.{field_name}.truncate must be a number of characters")
        fmap.truncate = truncate
        fields[field_name] = fmap
    unknown_fields = set(fields) - set(spec.by_name)
    if unknown_fields:
        fail(
            f"{kind_name} have no field {', '.join(sorted(unknown_fields))}; "
            f"fields: {', '.join(spec.by_name)}"
        )
    for fmap in fields.values():
        target = spec.by_name[fmap.name]
        if target.type != "ref" and (fmap.create_missing or fmap.match != "external_id"):
            fail(f"fields.{fmap.name}: match and create_missing apply to references only")
        if fmap.create_missing and kind_name != "people":
            fail(f"fields.{fmap.name}: create_missing works in people imports only")
        if target.type == "choice" and fmap.values:
            allowed = {c.value for c in target.choices} if target.choices else set()
            wrong = sorted({v for v in fmap.values.values() if v and v not in allowed})
            if wrong:
                fail(
                    f"fields.{fmap.name}.map: {', '.join(wrong)} not in {', '.join(sorted(allowed))}"
                )
        for fmt_field in ("date_format", "datetime_format"):
            if fmt_field in data and not isinstance(data[fmt_field], str | list):
                fail(f"{fmt_field} must be a format or a list of formats")
        if fmap.formats and target.type in ("int", "decimal"):
            known = INT_FORMATS if target.type == "int" else DECIMAL_FORMATS
            if len(fmap.formats) != 1 or fmap.formats[0] not in known:
                fail(f"fields.{fmap.name}.format must be one of {', '.join(known)}")
        elif fmap.formats and target.type not in ("date", "datetime"):
            fail(f"fields.{fmap.name}: format applies to dates, numbers and durations only")
        if not fmap.formats and target.type in ("date", "datetime"):
            default = data.get("date_format" if target.type == "date" else "datetime_format")
            if default:
                fmap.formats = (default,) if isinstance(default, str) else tuple(default)
    missing = [f.name for f in spec.fields if f.required and f.name not in fields]
    if missing:
        fail(f"required fields not mapped: {', '.join(missing)}")
    zone = data.get("timezone")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, TypeError, ValueError):
            fail(f"timezone {zone!r} is not a time zone name such as 'Europe/Amsterdam' or 'UTC'")
    source = str(data.get("source") or "import")
    if not source.replace("-", "").replace("_", "").isalnum() or len(source) > 40:
        fail("source must be a short name of letters, digits, - or _")
    return Mapping(
        kind=spec,
        source=source,
        fields=fields,
        encoding=data.get("encoding"),
        delimiter=data.get("delimiter"),
        timezone=data.get("timezone"),
        strict_columns=bool(data.get("strict_columns", False)),
        description=str(data.get("description", "")),
        path=name,
    )
