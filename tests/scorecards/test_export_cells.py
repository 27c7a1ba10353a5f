"""The dashboard exports, read back as a spreadsheet would: no text cell is a formula.

A second angle on the formula guard (test_dashboard.py checks = + - @ in a
name): every prefix a spreadsheet runs, tab and carriage return included, and
one hidden behind a control character XLSX cannot store; every cell of the file
is checked, and the XLSX is also read as XML: no cell may carry a formula.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import BaseTestCase

PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


class ExportCellTests(BaseTestCase):
    def export(self, fmt: str, name: str, team_name: str = "Alpha") -> bytes:
        self.rep.name = name
        self.rep.save()
        self.team.name = team_name
        self.team.save()
        self.login(self.manager)
        url = reverse("team_export", args=[self.team.pk, fmt])
        response = self.client.get(url + "?kind=month&date=2026-03-01&metric=deals_won")
        self.assertEqual(response.status_code, 200)
        return response.content

    def test_every_formula_prefix_is_text_in_the_csv(self):
        for prefix in PREFIXES:
            with self.subTest(prefix=repr(prefix)):
                body = self.export("csv", prefix + "1+1").decode("utf-8-sig")
                rows = list(csv.reader(io.StringIO(body, newline="")))
                self.assertIn("'" + prefix + "1+1", [row[0] for row in rows])
                for row in rows:
                    for cell in row:
                        self.assertFalse(cell.startswith(tuple(PREFIXES)), cell)

    def test_every_formula_prefix_is_text_in_the_xlsx_and_no_cell_holds_a_formula(self):
        for prefix in PREFIXES:
            with self.subTest(prefix=repr(prefix)):
                content = self.export("xlsx", prefix + "SUM(1)")
                sheet = load_workbook(io.BytesIO(content)).active
                cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
                # XML reads a lone carriage return back as a line feed.
                expected = ("'" + prefix + "SUM(1)").replace("\r", "\n")
                self.assertIn(expected, [c.value for c in cells])
                for cell in cells:
                    self.assertNotEqual(cell.data_type, "f")
                    if isinstance(cell.value, str):
                        self.assertFalse(cell.value.startswith(("=", "+", "-", "@")))
                xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
                self.assertNotIn(b"<f>", xml)
                self.assertNotIn(b"<f ", xml)

    def test_a_formula_behind_a_control_character_is_still_guarded(self):
        content = self.export("xlsx", "\x07=HYPERLINK(1)", team_name="Al\x07pha")
        sheet = load_workbook(io.BytesIO(content)).active
        names = [row[0].value for row in sheet.iter_rows(min_row=2)]
        self.assertIn("'=HYPERLINK(1)", names)
        self.assertEqual(names[-1], "Team total: Alpha")
        body = self.export("csv", "\x07=HYPERLINK(1)", team_name="Al\x07pha")
        self.assertIn("'=HYPERLINK(1)", body.decode("utf-8-sig"))
        self.assertNotIn(b"\x07", body)
