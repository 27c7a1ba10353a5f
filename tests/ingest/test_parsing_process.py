"""The second process that parses a large file, and the thread receiving its batches.

The importing process works in bursts, so the child must be able to run ahead of
it; and however the reading ends, no process or thread may be left behind.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import tempfile
import threading
import time
from decimal import Decimal
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

from django.test import SimpleTestCase, TestCase

from followthrough.ingest import parsing
from followthrough.ingest.lookups import build_lookups
from followthrough.ingest.mapping import parse_mapping
from followthrough.ingest.readers import open_table
from followthrough.ingest.rows import RowParser
from followthrough.people.models import Organisation, Person
from tests.ingest.support import write

MAPPING = {
    "kind": "activities",
    "source": "crm",
    "columns": {"external_id": "Id", "owner": "Owner", "type": "Type", "occurred_at": "When"},
}
ROWS = 12 * parsing.BATCH  # fewer batches than parsing.AHEAD
ALWAYS = 0


class ParsedTransportTests(SimpleTestCase):
    def round_trip(self, good):
        sent = parsing.Parsed(2, good, {5}, [], 120)
        received = ForkingPickler.loads(ForkingPickler.dumps(sent))
        self.assertEqual(received, sent)
        self.assertEqual(
            [type(v) for row in received.good for v in row], [type(v) for row in good for v in row]
        )

    def test_text_numbers_and_none_arrive_as_sent(self):
        self.round_trip(
            [(2, "A1", 7, "2025-03-01 09:00:00", None, 1, 1.5), (3, "A2", None, "", 0, 0, 0.0)]
        )

    def test_dates_and_decimals_arrive_as_sent(self):
        self.round_trip([(2, "D1", dt.date(2025, 3, 1), Decimal("10.50"), None, True)])


class ParsingProcessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Org", slug="org", timezone="UTC")
        Person.objects.create(organisation=cls.org, name="Ann", external_id="ann")

    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        lines = ["Id,Owner,Type,When"]
        start = dt.datetime(2025, 3, 1, 9, 0)
        for i in range(ROWS):
            lines.append(f"A{i:06d},ann,call,{start + dt.timedelta(minutes=i):%Y-%m-%d %H:%M:%S}")
        self.path = write(Path(folder.name), "activities.csv", "\n".join(lines) + "\n")
        self.table = open_table(self.path)
        if not parsing.child_helps(self.table, ALWAYS):
            self.skipTest("no second core, or other threads: files are parsed in one process")
        mapping = parse_mapping(MAPPING, name="test.toml")
        self.parser = RowParser(
            mapping,
            self.table.header,
            build_lookups(self.org, mapping),
            dt.UTC,
            dt.date(2026, 1, 1),
            "activities.csv",
        )
        self.threads = threading.active_count()

    def assert_nothing_left(self):
        self.assertEqual(multiprocessing.active_children(), [])
        self.assertEqual(threading.active_count(), self.threads)

    def test_the_child_parses_the_whole_file_while_this_process_is_busy(self):
        batches = parsing.parsed_batches(self.table, self.parser, ALWAYS)
        first = next(batches)
        # This process takes nothing more for a while: the child still gets to the end.
        deadline = time.monotonic() + 30
        while multiprocessing.active_children() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(multiprocessing.active_children(), [])
        rest = list(batches)
        numbers = [row[0] for parsed in [first, *rest] for row in parsed.good]
        self.assertEqual(numbers, list(range(2, ROWS + 2)))  # the header is row 1
        self.assertEqual([parsed.rows_read for parsed in rest[-2:]], [parsing.BATCH] * 2)
        self.assert_nothing_left()

    def test_stopping_after_one_batch_leaves_no_process_or_thread(self):
        batches = parsing.parsed_batches(self.table, self.parser, ALWAYS)
        next(batches)
        batches.close()
        self.assert_nothing_left()

    def test_a_child_that_dies_is_reported_after_the_batches_it_sent(self):
        parse_batch = self.parser.parse_batch
        seen = []

        def dying(batch, problems, notes=None):
            seen.append(1)
            if len(seen) == 3:
                os._exit(3)  # in the child: as if it were killed
            return parse_batch(batch, problems, notes)

        self.parser.parse_batch = dying
        got = []
        with self.assertRaisesRegex(RuntimeError, "the process parsing the file ended early"):
            for parsed in parsing.parsed_batches(self.table, self.parser, ALWAYS):
                got.append(parsed.rows_read)
        self.assertEqual(got, [parsing.BATCH, parsing.BATCH])
        self.assert_nothing_left()
