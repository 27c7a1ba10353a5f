"""Every import is kept as a run; its rejected rows come back as spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from followthrough.ingest.csvout import safe_cell
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.people.models import Organisation, Person, Role

MAPPING = """
kind = "deals"
source = "crm"
[columns]
external_id = "Deal ID"
name = "Deal Name"
amount = "Amount"
stage = "Stage"
[fields.owner]
column = "Owner"
match = "email"
"""
BAD = "\n".join(
    [
        "Deal ID,Deal Name,Owner,Amount,Stage",
        "D1,Fine,rita@acme.test,10,Open",
        'D2,"=HYPERLINK(""http://evil.example"",""x"")",rita@acme.test,=1+2,Open',
        "D3,Negative,rita@acme.test,-5,Open",
        "D4,Ghost,@ghost,7,Open",
    ]
)


class ImportRunTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.mapping = self.tmp / "deals.toml"
        self.mapping.write_text(MAPPING, encoding="utf-8")

    def cli(self, content: str, *extra: str, name: str = "deals.csv"):
        path = self.tmp / name
        path.write_text(content, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        failed = None
        try:
            call_command(
                "import",
                "deals",
                str(path),
                "--mapping",
                str(self.mapping),
                *extra,
                stdout=out,
                stderr=err,
            )
        except CommandError as error:
            failed = str(error)
        return ImportRun.objects.order_by("-pk").first(), out.getvalue(), err.getvalue(), failed

    def test_a_run_keeps_who_when_file_mapping_and_counts(self):
        run, out, _, failed = self.cli("\n".join(BAD.splitlines()[:2]), "--no-progress")
        self.assertIsNone(failed)
        self.assertEqual(
            (
                run.status,
                run.kind,
                run.source,
                run.file_name,
                run.mapping_name,
                run.created_by_name,
            ),
            (RunStatus.DONE, "deals", "crm", "deals.csv", "deals.toml", "cli"),
        )
        self.assertEqual(run.mapping_text, MAPPING)
        self.assertEqual(
            (run.rows_read, run.created, run.updated, run.unchanged, run.rejected), (1, 1, 0, 0, 0)
        )
        self.assertIsNotNone(run.finished_at)
        self.assertGreaterEqual(run.finished_at, run.created_at)
        self.assertIn(f"[import run {run.pk}]", out)

    def test_a_refused_file_keeps_every_rejected_row(self):
        run, _, err, failed = self.cli(BAD, "--no-progress")
        self.assertIn("nothing was imported from deals.csv", failed)
        self.assertEqual((run.status, run.rejected, run.created), (RunStatus.REJECTED, 3, 0))
        self.assertEqual(
            list(run.rejected_rows.values_list("file_name", "row", "column", "value")),
            [
                ("deals.csv", 3, "Amount", "=1+2"),
                ("deals.csv", 4, "Amount", "-5"),
                ("deals.csv", 5, "Owner", "@ghost"),
            ],
        )
        self.assertIn("deals.csv, row 4, column Amount, value '-5': must not be negative", err)

    def test_import_errors_writes_the_rejected_rows_as_safe_csv(self):
        run, *_ = self.cli(BAD, "--no-progress")
        out = io.StringIO()
        call_command("import-errors", str(run.pk), stdout=out)
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        self.assertEqual(rows[0], ["file", "row", "column", "value", "reason"])
        self.assertEqual(
            [row[:4] for row in rows[1:]],
            [
                ["deals.csv", "3", "Amount", "'=1+2"],
                ["deals.csv", "4", "Amount", "'-5"],
                ["deals.csv", "5", "Owner", "'@ghost"],
            ],
        )
        self.assertTrue(rows[3][4].startswith("unknown person"))

    def test_import_errors_writes_a_file_with_output(self):
        run, *_ = self.cli(BAD, "--no-progress")
        target = self.tmp / "errors.csv"
        call_command("import-errors", str(run.pk), "--output", str(target), stderr=io.StringIO())
        with target.open(newline="", encoding="utf-8") as handle:
            self.assertEqual(len(list(csv.reader(handle))), 4)

    def test_import_errors_of_an_unknown_run_is_refused(self):
        with self.assertRaisesMessage(CommandError, "no import run 999999"):
            call_command("import-errors", "999999", stdout=io.StringIO())

    def test_formula_cells_are_escaped_and_plain_values_are_not(self):
        self.assertEqual(
            [safe_cell(v) for v in ["=A1", "+1", "-2", "@x", "\tx", "plain", 12, None]],
            ["'=A1", "'+1", "'-2", "'@x", "'\tx", "plain", "12", ""],
        )

    def test_skip_invalid_writes_valid_rows_and_keeps_the_others(self):
        run, out, _, failed = self.cli(BAD, "--no-progress", "--skip-invalid")
        self.assertIsNone(failed)
        self.assertEqual((run.status, run.created, run.rejected), (RunStatus.DONE, 1, 3))
        self.assertIn("created 1, updated 0, unchanged 0, rejected 3", out)

    def test_the_progress_bar_reports_to_the_end_and_is_quiet_when_asked(self):
        rows = [f"D{n},Deal {n},rita@acme.test,{n},Open" for n in range(30_000)]
        content = "\n".join(["Deal ID,Deal Name,Owner,Amount,Stage", *rows]) + "\n"
        run, _, err, _ = self.cli(content, name="many.csv")
        self.assertEqual(run.created, 30_000)
        lines = err.strip().splitlines()
        self.assertTrue(lines[0].startswith("deals many.csv: 0%"), lines)
        self.assertTrue(lines[-1].startswith("deals many.csv: 100% (30,000 rows"), lines)
        _, _, quiet, _ = self.cli(content, "--no-progress", name="many.csv")
        self.assertEqual(quiet, "")
