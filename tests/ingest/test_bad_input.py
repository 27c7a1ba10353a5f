"""Bad files and bad rows are refused with file, row and column named; nothing stored changes."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from django.test import TestCase

from followthrough.crm.models import Account, Deal
from followthrough.ingest.models import RunStatus
from followthrough.people.models import Organisation, Person, Role
from tests.ingest.support import DEALS_HEADER, DEALS_MAPPING, import_text, problems, stored

GOOD_ROW = "D2,Second deal,rita@acme.test,Acme Corp,250.00,2024-02-01,2024-05-01,Proposal"


def deals_file(*rows: str, newline: str = "\n") -> str:
    return newline.join([DEALS_HEADER, *rows]) + newline


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.rita = Person.objects.create(
            organisation=cls.org, name="Rita Rep", email="rita@acme.test", role=Role.REP
        )
        Account.objects.create(
            organisation=cls.org, source="crm", external_id="A1", name="Acme Corp"
        )
        run = import_text(
            cls.org,
            deals_file(
                "D1,First deal,rita@acme.test,Acme Corp,100.00,2024-01-10,2024-03-31,Discovery"
            ),
        )
        assert run.status == RunStatus.DONE, run.message

    def setUp(self):
        self.before = stored(self.org)

    def refused(self, content, **kwargs):
        run = import_text(self.org, content, **kwargs)
        self.assertEqual(run.status, RunStatus.REJECTED, run.message)
        self.assertEqual(stored(self.org), self.before, "stored data changed")
        self.assertEqual((run.created, run.updated, run.unchanged), (0, 0, 0))
        return run

    def assert_names(self, run, row, column, *words):
        message = run.message
        self.assertIn(run.file_name, message)
        if row is not None:
            self.assertIn(f"row {row}", message)
        self.assertIn(f"column {column}", message)
        for word in words:
            self.assertIn(word, message)

    # The file as a whole.

    def test_an_empty_file_is_refused(self):
        run = self.refused("", name="empty.csv")
        self.assert_names(run, None, "-", "empty")

    def test_a_file_with_only_a_header_is_refused(self):
        run = self.refused(deals_file(), name="header.csv")
        self.assert_names(run, 1, "-", "no rows")

    def test_a_binary_file_named_csv_is_refused(self):
        run = self.refused(bytes(range(256)) * 40, name="photo.csv")
        self.assert_names(run, None, "-", "binary")

    def test_an_xlsx_renamed_to_csv_is_refused(self):
        run = self.refused(b"PK\x03\x04" + b"\x00" * 200, name="deals.csv")
        self.assert_names(run, None, "-", "XLSX")

    def test_a_file_over_the_size_limit_is_refused_before_reading(self):
        run = self.refused(deals_file(GOOD_ROW), name="big.csv", max_bytes=100)
        self.assert_names(run, None, "-", "over the limit")

    def test_an_unbalanced_quote_names_the_row_where_it_opens(self):
        content = deals_file(
            GOOD_ROW,
            'D3,"Third deal,rita@acme.test,Acme Corp,10,2024-02-01,2024-05-01,Proposal',
            "D4,Fourth deal,rita@acme.test,Acme Corp,10,2024-02-01,2024-05-01,Proposal",
        )
        run = self.refused(content, name="quotes.csv")
        self.assert_names(run, 3, "Deal Name", "quote")

    def test_a_ten_megabyte_field_is_refused_with_its_row(self):
        huge = "x" * (10 * 1024 * 1024)
        content = deals_file(
            GOOD_ROW, f"D3,{huge},rita@acme.test,Acme Corp,10,2024-02-01,2024-05-01,Proposal"
        )
        run = self.refused(content, name="huge.csv")
        self.assert_names(run, 3, "Deal Name", "larger than")

    def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(self):
        content = deals_file(
            GOOD_ROW,
            "",  # row 3: a blank line
            ",,,,,,,",  # row 4: empty cells
            'D5,"Fifth\ndeal",rita@acme.test,Acme Corp,10,2024-02-01,2024-05-01,Proposal',
            "D6,Sixth deal,rita@acme.test,Acme Corp,10,2017-02-30,2024-05-01,Proposal",
        )
        run = self.refused(content, name="gaps.csv")
        self.assertEqual(run.rows_read, 3)
        self.assertEqual([p[:4] for p in problems(run)], [("gaps.csv", 6, "Created", "2017-02-30")])

    def test_a_short_row_reads_its_missing_cells_as_empty(self):
        content = deals_file(GOOD_ROW, "D3,Third deal,rita@acme.test,Acme Corp,10,2024-02-01")
        run = import_text(self.org, content, name="short.csv")
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 2), run.message)
        third = Deal.objects.get(organisation=self.org, external_id="D3")
        self.assertEqual(
            (third.amount, third.created_on, third.close_on, third.stage),
            (Decimal("10.00"), dt.date(2024, 2, 1), None, ""),
        )
        second = Deal.objects.get(organisation=self.org, external_id="D2")
        self.assertEqual((second.close_on, second.stage), (dt.date(2024, 5, 1), "Proposal"))

    def test_an_unbalanced_quote_after_blank_rows_names_its_row(self):
        content = deals_file(
            GOOD_ROW,
            "",
            'D4,"Fourth deal,rita@acme.test,Acme Corp,10,2024-02-01,2024-05-01,Proposal',
            GOOD_ROW,
        )
        run = self.refused(content, name="quotes.csv")
        self.assert_names(run, 4, "Deal Name", "quote")

    def test_the_wrong_delimiter_is_named(self):
        mapping = {**DEALS_MAPPING, "delimiter": ","}
        content = deals_file(GOOD_ROW).replace(",", ";")
        run = self.refused(content, mapping=mapping, name="semicolons.csv")
        self.assert_names(run, 1, "Deal ID", "delimiter")

    def test_a_semicolon_file_is_read_when_the_delimiter_is_not_fixed(self):
        content = deals_file(GOOD_ROW).replace(",", ";")
        run = import_text(self.org, content, name="semicolons.csv")
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 1), run.message)

    # Encodings and line ends.

    def test_latin_1_imports_with_its_accents(self):
        row = "D2,Café Müller Straße,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal"
        run = import_text(self.org, deals_file(row), name="latin.csv", encoding="latin-1")
        self.assertEqual(run.status, RunStatus.DONE, run.message)
        self.assertEqual(Deal.objects.get(external_id="D2").name, "Café Müller Straße")

    def test_undecodable_bytes_in_a_utf8_file_are_refused_at_their_row_and_column(self):
        # Far enough into the file that the encoding was already settled as UTF-8.
        rows = [
            f"D{n},Deal {n},rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal"
            for n in range(10, 2010)
        ]
        bad = "D9999,Caf\udce9,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal"
        content = deals_file(*rows, bad).encode("utf-8", "surrogateescape")
        run = self.refused(content, name="mixed.csv")
        self.assert_names(run, 2002, "Deal Name", "not valid utf-8", "encoding")

    def test_undecodable_bytes_with_a_declared_encoding_are_refused(self):
        mapping = {**DEALS_MAPPING, "encoding": "utf-8"}
        content = deals_file(GOOD_ROW, "D3,\xe9t\xe9,,,1,,,Proposal").encode("latin-1")
        run = self.refused(content, mapping=mapping, name="declared.csv")
        self.assert_names(run, 3, "Deal Name", "not valid utf-8")

    def test_utf8_with_a_byte_order_mark_reads_the_first_column(self):
        content = "\ufeff" + deals_file(GOOD_ROW)
        run = import_text(self.org, content, name="bom.csv")
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 1), run.message)
        self.assertEqual(Deal.objects.get(external_id="D2").amount, Decimal("250.00"))

    def test_crlf_and_lf_files_import_the_same(self):
        multiline = 'D3,"Two\r\nlines",rita@acme.test,Acme Corp,5,2024-02-01,2024-05-01,Proposal'
        run = import_text(self.org, deals_file(GOOD_ROW, multiline, newline="\r\n"))
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 2), run.message)
        lf = deals_file(GOOD_ROW, multiline.replace("\r\n", "\n"), newline="\n")
        run = import_text(self.org, lf.replace("Two\nlines", "Two\r\nlines"))
        self.assertEqual((run.status, run.unchanged), (RunStatus.DONE, 2), run.message)
        self.assertEqual(Deal.objects.get(external_id="D3").name, "Two\r\nlines")

    def test_an_xlsx_workbook_imports_like_the_csv(self):
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(DEALS_HEADER.split(","))
        sheet.append(
            ["D2", "Sheet deal", "rita@acme.test", "Acme Corp", 250.5]
            + [dt.date(2024, 2, 1), dt.date(2024, 5, 1), "Proposal"]
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "deals.xlsx"
            book.save(path)
            run = import_text(self.org, path.read_bytes(), name="deals.xlsx")
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 1), run.message)
        deal = Deal.objects.get(external_id="D2")
        self.assertEqual(
            (deal.name, deal.amount, deal.created_on),
            ("Sheet deal", Decimal("250.50"), dt.date(2024, 2, 1)),
        )

    def test_a_csv_named_xlsx_is_refused(self):
        run = self.refused(deals_file(GOOD_ROW), name="deals.xlsx")
        self.assert_names(run, None, "-", "not an Excel workbook")

    # The header.

    def test_a_missing_required_column_is_named(self):
        content = deals_file(GOOD_ROW).replace("Deal ID", "Identifier")
        run = self.refused(content, name="missing.csv")
        self.assert_names(run, 1, "Deal ID", "not found")

    def test_a_repeated_column_is_named(self):
        content = deals_file(GOOD_ROW + ",300").replace("Stage", "Stage,Amount", 1)
        run = self.refused(content, name="twice.csv")
        self.assert_names(run, 1, "Amount", "more than once")

    def test_unknown_columns_are_ignored_and_reported(self):
        content = deals_file(GOOD_ROW + ",blue").replace("Stage", "Stage,Colour", 1)
        run = import_text(self.org, content, name="extra.csv")
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 1), run.message)
        self.assertEqual(run.warnings, ["Columns not in the mapping, ignored: Colour"])

    def test_unknown_columns_are_refused_when_the_mapping_is_strict(self):
        mapping = {**DEALS_MAPPING, "strict_columns": True}
        content = deals_file(GOOD_ROW + ",blue").replace("Stage", "Stage,Colour", 1)
        run = self.refused(content, mapping=mapping, name="extra.csv")
        self.assert_names(run, 1, "Colour", "not in the mapping")

    # Rows.

    def bad_row(self, row: str, column: str, value: str, reason: str):
        run = self.refused(deals_file(GOOD_ROW, row), name="rows.csv")
        self.assert_names(run, 3, column, reason)
        self.assertIn(("rows.csv", 3, column, value), [p[:4] for p in problems(run)])
        self.assertEqual(run.rejected, 1)
        return run

    def test_an_impossible_date_is_refused(self):
        row = "D3,Bad,rita@acme.test,Acme Corp,1,2017-02-30,2024-05-01,Proposal"
        self.bad_row(row, "Created", "2017-02-30", "not a real date")

    def test_a_created_date_in_the_future_is_refused(self):
        later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        row = f"D3,Bad,rita@acme.test,Acme Corp,1,{later},2024-05-01,Proposal"
        self.bad_row(row, "Created", later, "in the future")

    def test_a_close_date_in_the_future_is_allowed(self):
        later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        row = f"D3,Later,rita@acme.test,Acme Corp,1,2024-02-01,{later},Proposal"
        run = import_text(self.org, deals_file(row))
        self.assertEqual(run.status, RunStatus.DONE, run.message)

    def test_a_negative_amount_is_refused(self):
        row = "D3,Bad,rita@acme.test,Acme Corp,-5,2024-02-01,2024-05-01,Proposal"
        self.bad_row(row, "Amount", "-5", "must not be negative")

    def test_an_unknown_owner_is_refused(self):
        row = "D3,Bad,nobody@acme.test,Acme Corp,5,2024-02-01,2024-05-01,Proposal"
        self.bad_row(row, "Owner", "nobody@acme.test", "unknown person")

    def test_an_unknown_stage_is_refused(self):
        row = "D3,Bad,rita@acme.test,Acme Corp,5,2024-02-01,2024-05-01,Negotiation"
        self.bad_row(row, "Stage", "Negotiation", "unknown value")

    def test_a_deal_of_a_missing_account_is_refused(self):
        row = "D3,Bad,rita@acme.test,Initech,5,2024-02-01,2024-05-01,Proposal"
        self.bad_row(row, "Account", "Initech", "unknown account")

    def test_a_repeated_external_id_is_refused_naming_the_first_row(self):
        row = "D2,Again,rita@acme.test,Acme Corp,5,2024-02-01,2024-05-01,Proposal"
        self.bad_row(row, "Deal ID", "D2", "the same external id as row 2")

    def test_cells_that_look_like_formulas_are_stored_as_text(self):
        rows = [
            f"D{n},{name},rita@acme.test,Acme Corp,5,2024-02-01,2024-05-01,Proposal"
            for n, name in enumerate(["=SUM(A1:A9)", "+31 20 555", "-minus", "@handle"], 3)
        ]
        run = import_text(self.org, deals_file(*rows))
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 4), run.message)
        names = Deal.objects.filter(external_id__in=["D3", "D4", "D5", "D6"]).order_by(
            "external_id"
        )
        self.assertEqual(
            [d.name for d in names], ["=SUM(A1:A9)", "+31 20 555", "-minus", "@handle"]
        )

    # All or nothing, or the valid rows only.

    def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(self):
        rows = [
            GOOD_ROW,
            "D3,Bad,rita@acme.test,Acme Corp,-1,2024-02-01,2024-05-01,Proposal",
            "D4,Fine,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal",
            "D5,Bad,rita@acme.test,Acme Corp,1,2017-02-30,2024-05-01,Proposal",
        ]
        run = self.refused(deals_file(*rows))
        self.assertEqual([p[1:3] for p in problems(run)], [(3, "Amount"), (5, "Created")])
        self.assertEqual(run.rejected, 2)
        self.assertFalse(Deal.objects.filter(external_id__in=["D2", "D4"]).exists())

    def test_skip_invalid_writes_the_valid_rows_only(self):
        rows = [
            GOOD_ROW,
            "D3,Bad,rita@acme.test,Acme Corp,-1,2024-02-01,2024-05-01,Proposal",
            "D4,Fine,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal",
            "D1,Repeat,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Won",
            "D1,Twice,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Won",
        ]
        run = import_text(self.org, deals_file(*rows), skip_invalid=True)
        self.assertEqual(run.status, RunStatus.DONE, run.message)
        self.assertEqual((run.created, run.updated, run.rejected), (2, 1, 2))
        self.assertEqual([p[1:3] for p in problems(run)], [(3, "Amount"), (6, "Deal ID")])
        self.assertEqual(
            sorted(Deal.objects.values_list("external_id", flat=True)), ["D1", "D2", "D4"]
        )
        self.assertEqual(Deal.objects.get(external_id="D1").outcome, "won")

    def test_a_broken_file_writes_nothing_even_with_skip_invalid(self):
        content = deals_file(
            GOOD_ROW, 'D3,"Open,rita@acme.test,Acme Corp,1,2024-02-01,2024-05-01,Proposal'
        )
        run = self.refused(content, skip_invalid=True)
        self.assert_names(run, 3, "Deal Name", "quote")
