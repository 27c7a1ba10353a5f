"""The metrics export: one row per person (or team, or the organisation) and metric.

A fixed contract that scripts depend on (docs/metrics.md, "Export"): header
`person,metric,value` (or `team,metric,value`, `organisation,metric,value`), the
person's imported identifier, plain numbers, empty cells where a metric is undefined.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from followthrough.lib.cells import safe_text
from followthrough.lib.periods import Period
from followthrough.metrics.catalog import get_metrics
from followthrough.metrics.engine import UnknownMetric, compute, compute_teams
from followthrough.metrics.numbers import exported, json_number
from followthrough.metrics.totals import ORGANISATION, compute_organisation
from followthrough.people.models import Organisation, Person, Team

BY_PERSON, BY_TEAM, BY_ORGANISATION = "person", "team", "organisation"
BY = (BY_PERSON, BY_TEAM, BY_ORGANISATION)
FORMATS = ("csv", "json", "xlsx")


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
    return format(exported(value), "f")


def export_rows(
    org: Organisation,
    start: dt.date,
    end: dt.date,
    metric_keys: Sequence[str] | None = None,
    by: str = BY_PERSON,
) -> list[Row]:
    """The figures of every person (or team, or the organisation) for the days start..end."""
    catalog = get_metrics(org)
    keys = list(metric_keys) if metric_keys else list(catalog)
    unknown = [key for key in keys if key not in catalog]
    if unknown:
        raise UnknownMetric(", ".join(unknown))
    period = Period(start, end)
    if by == BY_ORGANISATION:
        # Ownerless facts count here, and only here (docs/metrics.md, "Facts without an owner").
        owners = {ORGANISATION: org.slug}
        results = compute_organisation(org, keys, [period])
    elif by == BY_TEAM:
        owners = {t.pk: t.external_id or t.name for t in Team.objects.filter(organisation=org)}
        # Each person counts for a team for the days they belonged to it (docs/metrics.md).
        results = compute_teams(org, keys, [period])
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
    data = [
        {by: row.who, "metric": row.metric, "value": json_number(exported(row.value))}
        for row in rows
    ]
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def to_xlsx(rows: list[Row], by: str = BY_PERSON) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("metrics")
    sheet.append([by, "metric", "value"])
    for row in rows:
        value = json_number(exported(row.value))
        sheet.append([safe_text(row.who), safe_text(row.metric), value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
