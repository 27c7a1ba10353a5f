"""The metrics export: the fixed CSV contract, JSON and XLSX, safe cells and clear errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from followthrough.metrics.export import plain_number, safe_text
from followthrough.people.models import Organisation
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

D = dt.date


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("metrics", "export", *args, stdout=out)
    return out.getvalue()


class ExportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.rep.external_id = '=HYPERLINK("http://evil")'
        cls.rep.save()
        deal(
            cls.org,
            cls.rep,
            created=D(2024, 1, 2),
            closed=D(2024, 1, 10),
            outcome="won",
            amount="1234567.50",
        )
        deal(cls.org, cls.rep, created=D(2024, 1, 3), closed=D(2024, 1, 11), outcome="lost")
        deal(cls.org, cls.rep, created=D(2024, 1, 4), closed=D(2024, 1, 12), outcome="lost")

    def args(self, *more: str) -> list[str]:
        return ["--from", "2024-01-01", "--to", "2024-01-31", "--organisation", "acme", *more]

    def test_the_csv_has_one_plain_row_per_person_and_metric(self):
        text = export(*self.args("--metric", "revenue_won", "--metric", "win_rate"))
        lines = text.splitlines()
        self.assertEqual(lines[0], "person,metric,value")
        self.assertIn('"\'=HYPERLINK(""http://evil"")",revenue_won,1234567.5', lines)
        self.assertIn('"\'=HYPERLINK(""http://evil"")",win_rate,0.3333', lines)
        self.assertIn("Rob,revenue_won,0", lines)
        self.assertIn("Rob,win_rate,", lines)
        self.assertEqual(len(lines), 1 + 7 * 2)  # the seven people of Acme, two metrics

    def test_by_team_names_teams(self):
        lines = export(*self.args("--metric", "deals_lost", "--by", "team")).splitlines()
        self.assertEqual(lines[0], "team,metric,value")
        self.assertIn("Alpha,deals_lost,2", lines)
        self.assertIn("North,deals_lost,2", lines)
        self.assertIn("Beta,deals_lost,0", lines)

    def test_json_and_xlsx_carry_the_same_figures(self):
        data = json.loads(export(*self.args("--metric", "win_rate", "--format", "json")))
        # JSON is not opened by spreadsheets: the identifier stays exactly as imported.
        rita = [row for row in data if row["person"] == '=HYPERLINK("http://evil")'][0]
        self.assertEqual(rita["value"], 0.3333)
        self.assertIsNone([row for row in data if row["person"] == "Rob"][0]["value"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.xlsx"
            export(*self.args("--metric", "deals_lost", "--format", "xlsx", "--output", str(path)))
            rows = list(load_workbook(path).active.iter_rows(values_only=True))
        self.assertEqual(rows[0], ("person", "metric", "value"))
        self.assertIn(("Rob", "deals_lost", 0), rows)
        self.assertTrue(all(not str(row[0]).startswith("=") for row in rows))

    def test_bad_arguments_get_a_clear_message(self):
        with self.assertRaisesMessage(CommandError, "unknown metric: nope"):
            export(*self.args("--metric", "nope"))
        with self.assertRaisesMessage(CommandError, "is before --from"):
            export("--from", "2024-02-01", "--to", "2024-01-01", "--organisation", "acme")
        with self.assertRaisesMessage(CommandError, "several organisations"):
            export("--from", "2024-01-01", "--to", "2024-01-31")
        with self.assertRaisesMessage(CommandError, "no organisation"):
            export("--from", "2024-01-01", "--to", "2024-01-31", "--organisation", "nobody")
        self.assertTrue(Organisation.objects.filter(slug="acme").exists())


def test_numbers_are_plain_with_at_most_four_decimals():
    assert plain_number(Decimal("1E+3")) == "1000"
    assert plain_number(Decimal("1234567.50")) == "1234567.5"
    assert plain_number(Decimal(2) / 3) == "0.6667"
    assert plain_number(Decimal("0.00001")) == "0"
    assert plain_number(Decimal("-0.00001")) == "0"
    assert plain_number(None) == ""


def test_text_that_looks_like_a_formula_is_defused():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert safe_text("Anna") == "Anna"
