"""The team dashboard as CSV and XLSX, safe to open in a spreadsheet.

Every text cell goes through lib/cells.safe_text: never run as a formula, and
free of the control characters an XLSX file cannot hold. Figures are written as
numbers, never as text.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from followthrough.lib.cells import safe_text, storable_text
from followthrough.metrics.labels import period_label
from followthrough.metrics.numbers import exported, json_number
from followthrough.scorecards.dashboard import Dashboard


def _number(value: Decimal | None):
    """A figure as exports write it (the rounding pages and charts share)."""
    return json_number(exported(value))


def table(dashboard: Dashboard) -> list[list]:
    """Header and rows: person, then value, target and attainment for each metric."""
    header = [_("Person")]
    for metric in dashboard.metrics:
        name = _(metric.name)
        header += [name, _("%(metric)s target") % {"metric": name}]
        header += [_("%(metric)s attainment") % {"metric": name}]
    rows = [[safe_text(h) for h in header]]
    lines = [(row.person.name, row.cells) for row in dashboard.rows]
    lines.append((_("Team total: %(team)s") % {"team": dashboard.team.name}, dashboard.totals))
    for name, cells in lines:
        row = [safe_text(name)]
        for cell in cells:
            row += [_number(cell.value), _number(cell.target), _number(cell.attainment)]
        rows.append(row)
    return rows


def filename(dashboard: Dashboard, extension: str) -> str:
    # ASCII only: a header value browsers read the same everywhere.
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in dashboard.team.name.lower())
    slug = "-".join(part for part in slug.split("-") if part)
    return f"{slug or 'team'}-{dashboard.period.key}.{extension}"


def to_csv(dashboard: Dashboard) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in table(dashboard):
        writer.writerow(["" if v is None else v for v in row])
    # A byte-order mark so Excel reads the UTF-8 (Chinese names) correctly.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(dashboard: Dashboard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    # Sheet names may not hold : \\ / ? * [ ] and are at most 31 characters long.
    title = re.sub(r"[:\\/?*\[\]]", "-", storable_text(period_label(dashboard.period)))[:31]
    sheet.title = title.strip("'") or "Dashboard"
    for row in table(dashboard):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Stored as a plain string, never parsed as a formula.
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
