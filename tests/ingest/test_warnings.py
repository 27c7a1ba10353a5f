"""Rows written but worth a look are reported as warnings, and still written."""

from __future__ import annotations

import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from followthrough.crm.models import Deal
from followthrough.ingest.models import RunStatus
from followthrough.people.models import Organisation, Person, Role
from tests.ingest.support import import_text, problems
from tests.ingest.test_values import DEALS, deals

MAPPING_TOML = """\
kind = "deals"
source = "crm"
[columns]
external_id = "Id"
amount = "Amount"
created_on = "Created"
close_on = "Closed"
stage = "Stage"
[fields.owner]
column = "Owner"
match = "email"
[fields.outcome]
column = "Outcome"
map = { "Won" = "won", "Lost" = "lost", "*" = "open" }
[fields.deal_type]
column = "Type"
map = { "New" = "new_business" }
"""
WITH_OUTCOME = {
    **DEALS,
    "fields": {
        **DEALS["fields"],
        "outcome": {"column": "Outcome", "map": {"Won": "won", "Lost": "lost", "*": "open"}},
        "deal_type": {"column": "Type", "map": {"New": "new_business"}},
    },
}


class ImportWarningTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )

    def imported(self, *rows, mapping=WITH_OUTCOME):
        run = import_text(self.org, deals(*rows), mapping)
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        return run

    def test_an_amount_in_scientific_notation_is_read_and_reported(self):
        run = self.imported(
            "D1,rita@acme.test,1e5,2024-01-02,,Open,,",
            "D2,rita@acme.test,10,2024-01-02,,Open,,",
            "D3,rita@acme.test,2.5E3,2024-01-02,,Open,,",
        )
        self.assertEqual(Deal.objects.get(external_id="D1").amount, Decimal("100000.00"))
        self.assertEqual(
            run.warnings,
            [
                "2 amounts are written in scientific notation and were read as plain numbers "
                "(1e5 is 100000.00): rows 2, 4"
            ],
        )

    def test_an_amount_with_more_decimals_than_stored_is_rounded_and_reported(self):
        run = self.imported(
            "D1,rita@acme.test,0.001,2024-01-02,,Open,,",
            "D2,rita@acme.test,10.25,2024-01-02,,Open,,",
        )
        self.assertEqual(Deal.objects.get(external_id="D1").amount, Decimal("0.00"))
        self.assertEqual(len(run.warnings), 1)
        self.assertIn("1 amounts have more than two decimals", run.warnings[0])
        self.assertTrue(run.warnings[0].endswith(": rows 2"), run.warnings)

    def test_a_won_deal_closed_before_it_was_created_is_written_and_reported(self):
        run = self.imported(
            "D1,rita@acme.test,5,2024-03-02,2024-03-01,Won,Won,",
            "D2,rita@acme.test,5,2024-03-02,2024-03-01,Lost,Lost,",  # not won: no cycle
            "D3,rita@acme.test,5,2024-03-02,2024-03-02,Won,Won,",  # the same day: fine
        )
        self.assertEqual(Deal.objects.count(), 3)
        self.assertEqual(len(run.warnings), 1, run.warnings)
        self.assertIn("1 won deals are closed before they were created", run.warnings[0])
        self.assertTrue(run.warnings[0].endswith(": rows 2"), run.warnings)

    def test_a_bad_row_with_an_odd_amount_is_refused_not_warned_about(self):
        run = import_text(
            self.org,
            deals("D1,rita@acme.test,1e5,not a date,,Open,,"),
            WITH_OUTCOME,
            skip_invalid=True,
        )
        self.assertEqual(run.warnings, [])

    def test_rows_without_an_owner_are_counted(self):
        run = self.imported(
            "D1,,5,2024-01-02,,Open,,",
            "D2,rita@acme.test,5,2024-01-02,,Open,,",
            "D3,,5,2024-01-02,,Open,,",
        )
        self.assertEqual(
            run.warnings,
            [
                "2 rows have no owner: they count in the organisation's totals only, in no "
                "person's or team's figures"
            ],
        )

    def test_the_command_prints_the_warnings(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "deals.toml").write_text(MAPPING_TOML)
            (folder / "deals.csv").write_text(
                deals("D1,,1e5,2024-03-02,2024-03-01,Won,Won,", "D2,,0.001,2024-01-01,,Open,,")
            )
            out = io.StringIO()
            call_command(
                "import",
                "deals",
                str(folder / "deals.csv"),
                "--mapping",
                str(folder / "deals.toml"),
                "--no-progress",
                stdout=out,
            )
        printed = out.getvalue()
        self.assertIn("created 2,", printed)
        self.assertIn("1 amounts are written in scientific notation", printed)
        self.assertIn("1 amounts have more than two decimals", printed)
        self.assertIn("1 won deals are closed before they were created", printed)
        self.assertIn("2 rows have no owner", printed)

    def test_a_file_parsed_in_a_second_process_reports_the_same(self):
        rows = [
            f"D{i},,{'1e2' if i % 1000 == 7 else '5'},2024-01-02,,Open,," for i in range(12_000)
        ]
        run = import_text(self.org, deals(*rows), WITH_OUTCOME, parallel_from=0)
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        self.assertEqual(run.created, 12_000)
        self.assertEqual(
            run.warnings,
            [
                "12 amounts are written in scientific notation and were read as plain numbers "
                "(1e5 is 100000.00): rows 9, 1009, 2009, 3009, 4009, 5009, 6009, 7009, 8009, "
                "9009 and 2 more",
                "12,000 rows have no owner: they count in the organisation's totals only, in no "
                "person's or team's figures",
            ],
        )
