"""A large file is parsed in a second process and merged as it is read.

The result must be exactly what one process gives, merging once at the end.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from unittest import mock

from django.db import connection
from django.test import TestCase, TransactionTestCase

from followthrough.crm.models import Activity, DealChange, DealStageChange
from followthrough.ingest import importer, staging
from followthrough.ingest.models import RunStatus
from followthrough.ingest.parsing import child_helps
from followthrough.ingest.readers import open_table
from followthrough.ingest.staging import Stage
from followthrough.metrics import rollups
from followthrough.metrics.models import Rollup
from followthrough.people.models import Organisation, Person
from tests.ingest.support import DEALS_HEADER, DEALS_MAPPING, import_path, write

MAPPING = {
    "kind": "activities",
    "source": "crm",
    "columns": {
        "external_id": "Id",
        "owner": "Owner",
        "type": "Type",
        "occurred_at": "When",
        "duration_seconds": "Seconds",
    },
}
ROWS = 12_345  # three batches of 5,000 and a part
ALWAYS, NEVER = 0, 1 << 60
MERGE_EVERY = 4000  # the second process's import merges three times as it reads, then the rest


def organisations(timezone: str, people: list[dict]) -> list[Organisation]:
    """One organisation per way of parsing, with the same people: each import starts from nothing."""
    orgs = []
    for slug in ("two", "one"):
        org = Organisation.objects.create(name=slug, slug=slug, timezone=timezone)
        Person.objects.bulk_create(Person(organisation=org, **fields) for fields in people)
        orgs.append(org)
    return orgs


def activities_file(bad: dict[int, str] | None = None) -> str:
    """ROWS activities; `bad` replaces whole lines by row number (the header is row 1)."""
    start = dt.datetime(2025, 1, 1, 8, 0)
    lines = ["Id,Owner,Type,When,Seconds"]
    for i in range(ROWS):
        when = start + dt.timedelta(minutes=7 * i)
        owner = ("ann", "ben", "cy")[i % 3]
        kind = ("call", "email", "meeting")[i % 3]
        lines.append(f"A{i:05d},{owner},{kind},{when:%Y-%m-%d %H:%M:%S},{i % 600}")
    for row, line in (bad or {}).items():
        lines[row - 1] = line
    return "\n".join(lines) + "\n"


class ParallelParsingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        people = [{"name": name, "external_id": name} for name in ("ann", "ben", "cy")]
        cls.orgs = organisations("Europe/Amsterdam", people)

    def setUp(self):
        # A first import adds its counts up several times along the file, not once at the end.
        self.enterContext(mock.patch.object(rollups, "ADD_UP_EVERY", 3000))
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def import_both_ways(self, content: str, **options):
        """(run, stored rows) in a second process, then the same in this one."""
        path = write(self.folder, "activities.csv", content)
        if not child_helps(open_table(path), ALWAYS):
            self.skipTest("no second core, or other threads: files are parsed in one process")
        results = []
        for org, threshold in zip(self.orgs, (ALWAYS, NEVER), strict=True):
            run = import_path(
                org, path, MAPPING, parallel_from=threshold, merge_every=MERGE_EVERY, **options
            )
            rows = list(
                Activity.objects.filter(organisation=org)
                .order_by("external_id")
                .values_list(
                    "external_id",
                    "owner__name",
                    "type",
                    "occurred_at",
                    "occurred_on",
                    "duration_seconds",
                )
            )
            rejected = list(
                run.rejected_rows.order_by("row").values_list("row", "column", "reason")
            )
            results.append((run, rows, rejected))
        return results

    def test_every_row_is_stored_as_one_process_stores_it(self):
        (run, rows, _), (alone, rows_alone, _) = self.import_both_ways(activities_file())
        self.assertEqual((run.status, run.created, run.rows_read), (RunStatus.DONE, ROWS, ROWS))
        self.assertEqual(rows, rows_alone)
        self.assertEqual(len(rows), ROWS)
        # Row A00000 is 2025-01-01 08:00 in Amsterdam: 07:00 UTC.
        self.assertEqual(rows[0][3], dt.datetime(2025, 1, 1, 7, 0, tzinfo=dt.UTC))
        self.assertEqual(rows[-1][0], f"A{ROWS - 1:05d}")
        # Its day index, built again after the merges, is there as the migrations made it.
        self.assertEqual(day_index(), ["organisation_id", "occurred_on", "owner_id"])
        # A first import adds its counts up as it merges: the same as computing them anew.
        for org in self.orgs:
            kept = rollup_rows(org)
            self.assertTrue(kept)
            rollups.rebuild(org.pk)
            self.assertEqual(kept, rollup_rows(org), org.slug)

    def test_a_first_import_counts_every_row_as_created_and_none_as_updated(self):
        # Merged unstaged, a first import once reported "updated -N" (a count per chunk).
        (run, _, _), (alone, _, _) = self.import_both_ways(activities_file())
        for each in (run, alone):
            self.assertEqual(
                (each.created, each.updated, each.unchanged, each.rejected), (ROWS, 0, 0, 0)
            )

    def test_a_first_import_of_a_second_source_adds_to_the_first_ones_counts(self):
        self.import_both_ways(activities_file())
        other = {**MAPPING, "source": "dialer"}
        path = write(self.folder, "calls.csv", activities_file())
        for org, threshold in zip(self.orgs, (ALWAYS, NEVER), strict=True):
            run = import_path(org, path, other, parallel_from=threshold, merge_every=MERGE_EVERY)
            self.assertEqual(run.created, ROWS)
            kept = rollup_rows(org)
            calls = next(r for r in kept if r[0] == "calls" and r[1] == "ann" and r[2] == "M")
            self.assertEqual(calls[4] % 2, 0, calls)  # every call is there twice now
            rollups.rebuild(org.pk)
            self.assertEqual(kept, rollup_rows(org), org.slug)

    def test_bad_rows_in_later_batches_are_reported_where_they_are(self):
        bad = {
            7002: "A07000,zoe,call,2025-02-03 10:00:00,5",
            11003: "A11001,ann,call,2025-02-30 10:00:00,5",
        }
        (run, rows, rejected), (_, rows_alone, rejected_alone) = self.import_both_ways(
            activities_file(bad), skip_invalid=True
        )
        self.assertEqual((run.created, run.rejected), (ROWS - 2, 2))
        self.assertEqual(
            [(row, column) for row, column, _ in rejected], [(7002, "Owner"), (11003, "When")]
        )
        self.assertIn("unknown", rejected[0][2])
        self.assertEqual(rejected, rejected_alone)
        self.assertEqual(rows, rows_alone)

    def test_an_unreadable_row_late_in_the_file_writes_nothing(self):
        content = activities_file({9001: 'A08999,ann,"call,2025-02-03 10:00:00,5'})
        (run, rows, rejected), (_, _, rejected_alone) = self.import_both_ways(content)
        self.assertEqual(run.status, RunStatus.REJECTED)
        self.assertEqual(rows, [])
        self.assertEqual(rejected[0][0], 9001)
        self.assertIn("quote", rejected[0][2])
        self.assertEqual(rejected, rejected_alone)
        self.assertEqual(day_index(), ["organisation_id", "occurred_on", "owner_id"])

    def test_a_repeated_id_in_a_later_batch_is_rejected_and_the_first_row_kept(self):
        # Row 9002 repeats A00010 (row 12), merged long before the repeat is read.
        bad = {9002: "A00010,cy,demo,2025-03-03 10:00:00,77"}
        (run, rows, rejected), (_, rows_alone, rejected_alone) = self.import_both_ways(
            activities_file(bad), skip_invalid=True
        )
        self.assertEqual((run.status, run.created, run.rejected), (RunStatus.DONE, ROWS - 1, 1))
        self.assertEqual(rejected, [(9002, "Id", "the same external id as row 12")])
        self.assertEqual(rejected, rejected_alone)
        self.assertEqual(rows, rows_alone)
        a10 = next(row for row in rows if row[0] == "A00010")
        self.assertEqual((a10[1], a10[2], a10[5]), ("ben", "email", 10))
        self.assertEqual(run.rows_read, ROWS)

    def test_a_repeated_id_in_the_same_merge_is_rejected_too(self):
        # Rows 12 and 15 are merged by the same statement: the count of new rows tells.
        bad = {15: "A00010,cy,demo,2025-03-03 10:00:00,77"}
        (run, rows, rejected), (_, rows_alone, _) = self.import_both_ways(
            activities_file(bad), skip_invalid=True
        )
        self.assertEqual((run.created, run.rejected), (ROWS - 1, 1))
        self.assertEqual(rejected, [(15, "Id", "the same external id as row 12")])
        self.assertEqual(rows, rows_alone)

    def test_a_repeated_id_without_skip_invalid_writes_nothing(self):
        bad = {9002: "A00010,cy,demo,2025-03-03 10:00:00,77"}
        (run, rows, rejected), _ = self.import_both_ways(activities_file(bad))
        self.assertEqual((run.status, run.created), (RunStatus.REJECTED, 0))
        self.assertEqual(rows, [])
        self.assertEqual(rejected, [(9002, "Id", "the same external id as row 12")])

    def test_a_refused_first_import_reports_a_repeat_among_the_rows_merged_unstaged(self):
        # Rows before row 9002 go from the file to the facts: the repeat at row 5000 is
        # among them, and the report has it as one process has it.
        bad = {
            5000: "A00010,cy,demo,2025-03-03 10:00:00,77",
            9002: "A09000,ann,call,2025-02-30 10:00:00,5",
        }
        (run, rows, rejected), (_, _, rejected_alone) = self.import_both_ways(activities_file(bad))
        self.assertEqual((run.status, run.created, run.rows_read), (RunStatus.REJECTED, 0, ROWS))
        self.assertEqual(rows, [])
        self.assertEqual(
            [(row, column) for row, column, _ in rejected], [(5000, "Id"), (9002, "When")]
        )
        self.assertEqual(rejected, rejected_alone)
        self.assertEqual(day_index(), ["organisation_id", "occurred_on", "owner_id"])

    def test_a_first_import_merges_unstaged_and_a_later_one_stages(self):
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL stages every file, merged once the file is read")
        path = write(self.folder, "activities.csv", activities_file())
        if not child_helps(open_table(path), ALWAYS):
            self.skipTest("no second core, or other threads: files are parsed in one process")
        staged = []
        insert = Stage.insert

        def counting(stage, rows):
            staged.append(len(rows))
            return insert(stage, rows)

        org = self.orgs[0]
        with mock.patch.object(Stage, "insert", counting):
            run = import_path(org, path, MAPPING, parallel_from=ALWAYS, merge_every=MERGE_EVERY)
            self.assertEqual((run.created, sum(staged)), (ROWS, 0))
            run = import_path(org, path, MAPPING, parallel_from=ALWAYS, merge_every=MERGE_EVERY)
            self.assertEqual((run.unchanged, sum(staged)), (ROWS, ROWS))

    def test_rows_stored_meanwhile_by_another_import_refuse_a_first_one(self):
        # One process: the rows are merged after the duplicate check, all new, with a plain
        # INSERT; here another import of the same source stores one of them just before.
        org = self.orgs[1]
        path = write(self.folder, "activities.csv", activities_file())
        merge = importer.merge_and_count

        def after_another(stage, org_id, source, *args, **kwargs):
            Activity.objects.create(
                organisation_id=org_id,
                source=source,
                external_id="A00005",
                owner=Person.objects.get(organisation_id=org_id, name="ann"),
                type="call",
                occurred_at=dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC),
                occurred_on=dt.date(2025, 1, 1),
            )
            return merge(stage, org_id, source, *args, **kwargs)

        with mock.patch.object(importer, "merge_and_count", after_another):
            run = import_path(org, path, MAPPING, parallel_from=NEVER)
        self.assertEqual((run.status, run.created), (RunStatus.REJECTED, 0))
        self.assertEqual(
            list(run.rejected_rows.values_list("row", "column", "reason")),
            [(0, "", importer.STORED_MEANWHILE)],
        )
        self.assertFalse(Activity.objects.filter(organisation=org).exists())

    def test_a_dry_run_writes_nothing_but_counts(self):
        (run, rows, _), (alone, _, _) = self.import_both_ways(activities_file(), dry_run=True)
        self.assertEqual((run.status, run.created), (RunStatus.DONE, ROWS))
        self.assertEqual(rows, [])
        self.assertEqual(alone.created, ROWS)

    def test_a_later_export_counts_and_rolls_up_as_one_merge_does(self):
        self.import_both_ways(activities_file())
        # Changed rows in the first, second and last merge; unchanged elsewhere; new at the end.
        later = (
            activities_file(
                {
                    3: "A00001,cy,demo,2025-01-01 08:07:00,1",
                    6003: "A06001,ann,meeting,2025-03-01 09:00:00,9",
                    12000: "A11998,ben,call,2025-06-30 23:30:00,30",
                }
            )
            + "B00001,ann,call,2025-07-01 10:00:00,60\nB00002,cy,email,2025-07-02 10:00:00,\n"
        )
        (run, rows, _), (alone, rows_alone, _) = self.import_both_ways(later)
        self.assertEqual((run.created, run.updated, run.unchanged), (2, 3, ROWS - 3))
        self.assertEqual(
            (alone.created, alone.updated, alone.unchanged),
            (run.created, run.updated, run.unchanged),
        )
        self.assertEqual(rows, rows_alone)
        for org in self.orgs:
            kept = rollup_rows(org)
            self.assertTrue(kept)
            rollups.rebuild(org.pk)
            self.assertEqual(kept, rollup_rows(org), org.slug)


def day_index() -> list[str] | None:
    """The columns of the activities' (organisation, day, owner) index, if it is there."""
    name = Activity._meta.indexes[0].name
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Activity._meta.db_table)
    return found[name]["columns"] if name in found else None


def rollup_rows(org: Organisation) -> list[tuple]:
    return list(
        Rollup.objects.filter(organisation=org)
        .order_by("metric__key", "person__name", "grain", "day")
        .values_list("metric__key", "person__name", "grain", "day", "n", "total")
    )


DEALS = 9_000


def deals_file(changes: dict[int, str] | None = None) -> str:
    """DEALS deals; `changes` replaces the stage, amount and close date of some deal numbers."""
    lines = [DEALS_HEADER]
    for i in range(DEALS):
        owner = ("ann@x.test", "ben@x.test")[i % 2]
        created = dt.date(2025, 1, 1) + dt.timedelta(days=i % 200)
        close = created + dt.timedelta(days=30)
        tail = (changes or {}).get(i, f"{1000 + i},{created},{close},Discovery")
        lines.append(f"D{i:05d},Deal {i},{owner},,{tail}")
    return "\n".join(lines) + "\n"


class ParallelDealsTests(TestCase):
    """Deals merged window by window keep the same history as one merge does."""

    @classmethod
    def setUpTestData(cls):
        people = [{"name": name, "email": f"{name}@x.test"} for name in ("ann", "ben")]
        cls.orgs = organisations("UTC", people)

    def import_both_ways(self, content: str) -> list:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = write(Path(folder.name), "deals.csv", content)
        if not child_helps(open_table(path), ALWAYS):
            self.skipTest("no second core, or other threads: files are parsed in one process")
        return [
            import_path(org, path, DEALS_MAPPING, parallel_from=threshold, merge_every=2500)
            for org, threshold in zip(self.orgs, (ALWAYS, NEVER), strict=True)
        ]

    def test_a_later_export_records_the_same_changes(self):
        first, alone = self.import_both_ways(deals_file())
        self.assertEqual((first.created, alone.created), (DEALS, DEALS))
        later = {
            1: "1001,2025-01-02,2025-03-01,Proposal",  # close date pushed, stage moved
            4000: "9999,2025-04-11,2025-05-11,Won",  # amount and stage
            8999: "9999.50,2025-01-24,2025-02-23,Lost",
        }
        run, alone = self.import_both_ways(deals_file(later))
        self.assertEqual((run.created, run.updated, run.unchanged), (0, 3, DEALS - 3))
        self.assertEqual((alone.updated, alone.unchanged), (3, DEALS - 3))
        histories = []
        for org in self.orgs:
            moves = DealStageChange.objects.filter(deal__organisation=org)
            changes = DealChange.objects.filter(organisation=org)
            histories.append(
                (
                    sorted(moves.values_list("deal__external_id", "from_stage", "to_stage")),
                    sorted(
                        changes.values_list("deal__external_id", "field", "old_value", "new_value")
                    ),
                    rollup_rows(org),
                )
            )
        self.assertEqual(histories[0], histories[1])
        moves, changes, kept = histories[0]
        self.assertIn(("D04000", "Discovery", "Won"), moves)
        self.assertIn(("D00001", "close_date", "2025-02-01", "2025-03-01"), changes)
        self.assertIn(("D08999", "amount", "9999.00", "9999.50"), changes)
        self.assertTrue(kept)


class UncheckedReferencesTests(TransactionTestCase):
    """A first import merged straight from the file runs without SQLite's foreign key
    checks (outside a test's transaction, as in production) and checks its references
    itself before it commits."""

    def setUp(self):
        self.org = Organisation.objects.create(name="org", slug="org", timezone="UTC")
        Person.objects.bulk_create(
            Person(organisation=self.org, name=name, external_id=name)
            for name in ("ann", "ben", "cy")
        )
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = write(Path(folder.name), "activities.csv", activities_file())
        # Transaction tests run last, after the browser tests, whose live server thread
        # lives on: forking with it around is safe here, the child only parses.
        self.enterContext(mock.patch("threading.active_count", return_value=1))
        if not child_helps(open_table(self.path), ALWAYS):
            self.skipTest("no second core: files are parsed in one process")

    def import_file(self):
        return import_path(
            self.org, self.path, MAPPING, parallel_from=ALWAYS, merge_every=MERGE_EVERY
        )

    def test_checks_are_off_only_while_a_first_import_merges(self):
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL imports keep their foreign key checks")
        checking = []
        merge = staging.merge_and_count

        def recording(*args, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA foreign_keys")
                checking.append(cursor.fetchone()[0])
            return merge(*args, **kwargs)

        with mock.patch.object(importer, "merge_and_count", recording):
            self.assertEqual(self.import_file().created, ROWS)
            self.assertEqual(set(checking), {0})
            checking.clear()
            self.assertEqual(self.import_file().unchanged, ROWS)  # staged: checked
            self.assertEqual(set(checking), {1})
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            self.assertEqual(cursor.fetchone()[0], 1)

    def test_a_person_deleted_while_the_file_is_read_writes_nothing(self):
        lookups = importer.build_lookups

        def then_deleted(*args, **kwargs):
            found = lookups(*args, **kwargs)
            Person.objects.filter(organisation=self.org, external_id="cy").delete()
            return found

        with mock.patch.object(importer, "build_lookups", then_deleted):
            run = self.import_file()
        self.assertEqual((run.status, run.created), (RunStatus.REJECTED, 0))
        # Merged straight from the file (SQLite), the import finds which reference; on
        # PostgreSQL the database's own check refuses the commit.
        column = "Owner" if connection.vendor == "sqlite" else ""
        self.assertEqual(
            list(run.rejected_rows.values_list("row", "column", "reason")),
            [(0, column, importer.REFERENCE_GONE)],
        )
        self.assertIn("a record this file refers to was deleted", run.message)
        self.assertFalse(Activity.objects.filter(organisation=self.org).exists())
        self.assertEqual(day_index(), ["organisation_id", "occurred_on", "owner_id"])

    def test_a_person_deleted_during_a_later_import_refuses_it_cleanly(self):
        self.assertEqual(self.import_file().created, ROWS)
        dee = Person.objects.create(organisation=self.org, name="dee", external_id="dee")
        lookups = importer.build_lookups

        def then_deleted(*args, **kwargs):
            found = lookups(*args, **kwargs)
            dee.delete()
            return found

        # A later export gives a row to a new person, deleted after the look-ups: the
        # database's own checks refuse the commit, and the run says why.
        self.path.write_text(activities_file({2: "A00000,dee,call,2025-01-01 08:00:00,5"}))
        before = list(Activity.objects.order_by("pk").values_list("pk", "owner_id", "type"))
        with mock.patch.object(importer, "build_lookups", then_deleted):
            run = self.import_file()
        self.assertEqual((run.status, run.updated), (RunStatus.REJECTED, 0))
        self.assertEqual(
            list(run.rejected_rows.values_list("row", "column", "reason")),
            [(0, "", importer.REFERENCE_GONE)],
        )
        after = list(Activity.objects.order_by("pk").values_list("pk", "owner_id", "type"))
        self.assertEqual(after, before)
