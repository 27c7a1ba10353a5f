"""The metrics export: one row per person (or team) and metric over a date range.

A fixed contract that scripts depend on (docs/metrics.md, "Export"): header
`person,metric,value` (or `team,metric,value`), the person's imported
identifier, plain numbers, empty cells where a metric is undefined.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from followthrough.lib.cells import safe_text
from followthrough.lib.periods import Period
from followthrough.metrics.catalog import get_metrics
from followthrough.metrics.engine import UnknownMetric, compute, compute_teams
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person, Team

BY_PERSON, BY_TEAM = "person", "team"
FORMATS = ("csv", "json", "xlsx")
DECIMALS = Decimal("0.0001")


@dataclass(frozen=True)
class Row:
    """One exported figure."""

    who: str
    metric: str
    value: Decimal | None


def plain_number(value: Decimal | None) -> str:
    """A figure as plain text: at most 4 decimals (half to even), no exponent, no separators."""
    if value is None:
        return ""
    rounded = value.quantize(DECIMALS, rounding=ROUND_HALF_EVEN).normalize()
    text = format(rounded, "f")
    return "0" if text in ("-0", "") else text


def export_rows(
    org: Organisation,
    start: dt.date,
    end: dt.date,
    metric_keys: Sequence[str] | None = None,
    by: str = BY_PERSON,
) -> list[Row]:
    """The figures of every person (or team) of `org` for the days start..end inclusive."""
    catalog = get_metrics(org)
    keys = list(metric_keys) if metric_keys else list(catalog)
    unknown = [key for key in keys if key not in catalog]
    if unknown:
        raise UnknownMetric(", ".join(unknown))
    period = Period(start, end)
    if by == BY_TEAM:
        owners = {t.pk: t.external_id or t.name for t in Team.objects.filter(organisation=org)}
        # Teams as they were at the end of the range (or today, for a range still running).
        results = compute_teams(org, keys, [period], on=min(end, today_for(org)))
    else:
        people = Person.objects.filter(organisation=org)
        owners = {p.pk: p.external_id or p.name for p in people}
        results = compute(org, keys, [period], list(owners))
    rows = []
    for owner_id, who in sorted(owners.items(), key=lambda item: (item[1], item[0])):
        for key in keys:
            rows.append(Row(who, key, results.get(owner_id, key, period).value))
    return rows


def to_csv(rows: list[Row], by: str = BY_PERSON) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([by, "metric", "value"])
    for row in rows:
        writer.writerow([safe_text(row.who), safe_text(row.metric), plain_number(row.value)])
    return out.getvalue()


def to_json(rows: list[Row], by: str = BY_PERSON) -> str:
    def number(value: Decimal | None):
        if value is None:
            return None
        text = plain_number(value)
        return int(text) if "." not in text else float(text)

    data = [{by: row.who, "metric": row.metric, "value": number(row.value)} for row in rows]
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def to_xlsx(rows: list[Row], by: str = BY_PERSON) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("metrics")
    sheet.append([by, "metric", "value"])
    for row in rows:
        text = plain_number(row.value)
        value = None if not text else (int(text) if "." not in text else float(text))
        sheet.append([safe_text(row.who), safe_text(row.metric), value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
