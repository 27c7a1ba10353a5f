"""Importing from the web: upload, preview, run as a job, see the result and the rejected rows."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from followthrough.audit.models import AuditEntry
from followthrough.crm.models import Deal
from followthrough.ingest import presets, uploads
from followthrough.ingest.importer import Options, import_file
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.people.models import Person
from tests.cast import BaseTestCase

MAPPING = """
kind = "deals"
source = "crm"
[columns]
external_id = "Deal ID"
name = "Deal"
amount = "Amount"
created_on = "Created"
stage = "Stage"
[fields.owner]
column = "Owner"
match = "email"
[fields.outcome]
column = "Outcome"
map = { "Open" = "open", "Won" = "won", "Lost" = "lost" }
"""

GOOD = (
    "Deal ID,Deal,Owner,Amount,Created,Stage,Outcome\r\n"
    "D-1,Acme renewal,rita@acme.test,1200.50,2025-01-10,Proposal,Open\r\n"
    "D-2,Acme upsell,rob@acme.test,800,2025-02-01,Contract,Won\r\n"
    "D-3,Acme pilot,rita@acme.test,,2025-02-03,Discovery,Open\r\n"
)
# Rows 4 and 5 are invalid: a negative amount, and an amount a spreadsheet would run.
BAD = (
    "Deal ID,Deal,Owner,Amount,Created,Stage,Outcome\n"
    "D-1,Acme renewal,rita@acme.test,1200.50,2025-01-10,Proposal,Open\n"
    "D-2,Acme upsell,rob@acme.test,800,2025-02-01,Contract,Won\n"
    "D-3,Acme pilot,rita@acme.test,-5,2025-02-03,Discovery,Open\n"
    "D-4,Acme extra,rob@acme.test,=1+2,2025-02-04,Discovery,Open\n"
)


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


class WebImportCase(BaseTestCase):
    def setUp(self):
        self.media = tempfile.mkdtemp()
        self.settings_override = override_settings(MEDIA_ROOT=self.media)
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)
        self.addCleanup(shutil.rmtree, self.media, True)
        self.login(self.admin)

    def stored_files(self) -> list[str]:
        folder = uploads.upload_dir()
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def submit(self, csv_text=GOOD, *, name="deals.csv", mapping=MAPPING, mode="all", **extra):
        data = {"kind": "deals", "file": upload(name, csv_text), "mode": mode, **extra}
        if mapping is not None:
            data["mapping_file"] = upload("deals.toml", mapping)
        return self.client.post(reverse("import_new"), data)

    def start(self, preview_url: str, *, run_job: bool = True) -> ImportRun:
        with self.captureOnCommitCallbacks(execute=run_job):
            response = self.client.post(preview_url, {"start": "1"})
        self.assertEqual(response.status_code, 302)
        run = ImportRun.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))
        self.assertEqual(response.url, reverse("import_run", args=[run.pk]))
        return run

    def import_through_the_pages(self, csv_text=GOOD, mode="all") -> ImportRun:
        response = self.submit(csv_text, mode=mode)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        return self.start(response.url)


class UploadPreviewRunTests(WebImportCase):
    def test_an_upload_is_previewed_then_run_and_its_result_shown(self):
        response = self.submit()
        self.assertEqual(response.status_code, 302)
        preview = self.client.get(response.url)
        self.assertEqual(preview.status_code, 200)
        shown = preview.context["preview"]
        self.assertEqual(
            [name for name, _ in shown.fields][:7],
            ["external_id", "name", "amount", "created_on", "stage", "owner", "outcome"],
        )
        first = {
            name: cell.value
            for (name, _), cell in zip(shown.fields, shown.rows[0].cells, strict=True)
        }
        self.assertEqual(
            (first["amount"], first["owner"], first["outcome"], first["deal_type"]),
            ("1200.50", "rita@acme.test", "open", "new_business"),
        )
        self.assertEqual([row.number for row in shown.rows], [2, 3, 4])
        self.assertTrue(all(row.ok for row in shown.rows))
        self.assertFalse(Deal.objects.exists(), "a preview writes nothing")

        run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual(run.status, RunStatus.DONE)
        self.assertEqual(
            (run.created, run.updated, run.unchanged, run.rejected, run.rows_read), (3, 0, 0, 0, 3)
        )
        self.assertEqual(
            (run.percent, run.created_by, run.mapping_name), (100, self.admin.user, "deals.toml")
        )
        self.assertEqual(str(Deal.objects.get(external_id="D-1").amount), "1200.50")
        self.assertIsNone(Deal.objects.get(external_id="D-3").amount)

        page = self.client.get(reverse("import_run", args=[run.pk]))
        self.assertContains(page, "<dd>3</dd>", count=1, html=False)
        self.assertNotContains(page, 'hx-trigger="every 1s"')
        listing = self.client.get(reverse("imports"))
        self.assertContains(listing, "deals.csv")
        self.assertContains(listing, reverse("import_run", args=[run.pk]))

    def test_a_second_upload_of_a_changed_export_counts_updates_and_unchanged_rows(self):
        self.import_through_the_pages()
        later = GOOD.replace("800,2025-02-01,Contract,Won", "950,2025-02-01,Contract,Won")
        run = self.import_through_the_pages(later)
        run.refresh_from_db()
        self.assertEqual((run.created, run.updated, run.unchanged, run.rejected), (0, 1, 2, 0))

    def test_an_excel_workbook_can_be_imported(self):
        from openpyxl import Workbook

        book = Workbook()
        for line in GOOD.splitlines():
            book.active.append(line.split(","))
        buffer = io.BytesIO()
        book.save(buffer)
        response = self.submit(buffer.getvalue(), name="deals.xlsx")
        run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 3))

    def test_all_or_nothing_is_not_started_when_the_preview_finds_a_bad_row(self):
        preview_url = self.submit(BAD, mode="all").url
        page = self.client.get(preview_url)
        self.assertContains(page, "Nothing would be imported")
        self.assertNotContains(page, 'name="start"')
        # Posted anyway (an old page, a script): refused, nothing queued or written.
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(preview_url, {"start": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(Deal.objects.exists())

    def test_all_or_nothing_refuses_a_file_the_run_finds_bad_and_writes_nothing(self):
        # Repeated ids are found by the run only (the preview reads rows one by one).
        repeated = GOOD + "D-1,Acme again,rita@acme.test,10,2025-02-05,Proposal,Open\r\n"
        run = self.import_through_the_pages(repeated, mode="all")
        run.refresh_from_db()
        self.assertEqual(run.status, RunStatus.REJECTED)
        self.assertEqual((run.created, run.updated, run.rejected), (0, 0, 1))
        self.assertFalse(Deal.objects.exists())
        page = self.client.get(reverse("import_run", args=[run.pk]))
        self.assertContains(page, "the same external id as row 2")
        self.assertContains(page, reverse("import_rejected_csv", args=[run.pk]))
        self.assertEqual([(r.row, r.column) for r in page.context["rejected"]], [(5, "Deal ID")])

    def test_skip_invalid_writes_the_valid_rows_and_reports_the_others(self):
        run = self.import_through_the_pages(BAD, mode="skip")
        run.refresh_from_db()
        self.assertEqual(run.status, RunStatus.DONE)
        self.assertEqual((run.created, run.updated, run.unchanged, run.rejected), (2, 0, 0, 2))
        self.assertEqual(sorted(Deal.objects.values_list("external_id", flat=True)), ["D-1", "D-2"])

    def test_the_rejected_rows_download_is_safe_to_open_in_a_spreadsheet(self):
        run = self.import_through_the_pages(BAD, mode="skip")
        response = self.client.get(reverse("import_rejected_csv", args=[run.pk]))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn(f'filename="import-{run.pk}-rejected.csv"', response["Content-Disposition"])
        text = b"".join(response.streaming_content).decode()
        lines = text.splitlines()
        self.assertEqual(lines[0], "file,row,column,value,reason")
        self.assertEqual(lines[1], "deals.csv,4,Amount,'-5,must not be negative")
        self.assertTrue(
            lines[2].startswith("deals.csv,5,Amount,'=1+2,\"not a number"),
            lines[2],
        )
        self.assertEqual(len(lines), 3)

    def test_the_preview_shows_each_rows_errors_before_anything_runs(self):
        response = self.submit(BAD)
        shown = self.client.get(response.url).context["preview"]
        self.assertEqual([row.ok for row in shown.rows], [True, True, False, False])
        errors = [cell.error for cell in shown.rows[2].cells if cell.error]
        self.assertEqual(errors, ["must not be negative"])
        page = self.client.get(response.url)
        self.assertContains(page, "must not be negative")
        self.assertContains(page, "=1+2")

    def test_a_file_whose_header_does_not_fit_the_mapping_cannot_be_started(self):
        response = self.submit("Id;Deal;Owner\nD-1;X;rita@acme.test\n")
        page = self.client.get(response.url)
        self.assertFalse(page.context["preview"].can_run)
        self.assertContains(page, "column not found in the header")
        self.assertNotContains(page, 'name="start"')


class ListTests(WebImportCase):
    def make_runs(self, count: int) -> None:
        ImportRun.objects.bulk_create(
            ImportRun(
                organisation=self.org,
                kind="deals",
                source="crm",
                file_name=f"deals-{n}.csv",
                created_by=self.admin.user,
                created_by_name="Ada",
                status=RunStatus.DONE,
                created=n,
            )
            for n in range(count)
        )

    def test_the_list_costs_the_same_queries_for_3_runs_as_for_30(self):
        self.make_runs(3)
        self.client.get(reverse("imports"))
        with self.assertNumQueries(6) as few:
            self.client.get(reverse("imports"))
        self.make_runs(27)
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(reverse("imports"))
        self.assertEqual(len(response.context["page"].object_list), 30)

    def test_runs_past_the_first_fifty_are_on_an_older_page(self):
        self.make_runs(51)
        first = self.client.get(reverse("imports"))
        self.assertContains(first, '<a href="?page=2">Older</a>', html=True)
        self.assertContains(first, "Page 1 of 2")
        self.assertNotContains(first, "Newer")
        second = self.client.get(reverse("imports"), {"page": 2})
        self.assertContains(second, '<a href="?page=1">Newer</a>', html=True)
        self.assertContains(second, "Page 2 of 2")
        self.assertNotContains(second, "Older")
        self.assertEqual(len(second.context["page"].object_list), 1)


class MoreFlowTests(WebImportCase):
    def test_a_second_click_on_run_shows_the_run_the_first_one_started(self):
        response = self.submit()
        run = self.start(response.url)
        again = self.client.post(response.url, {"start": "1"})
        self.assertRedirects(again, reverse("import_run", args=[run.pk]))
        self.assertEqual(ImportRun.objects.count(), 1)

    def test_a_shipped_preset_can_be_chosen_instead_of_a_mapping_file(self):
        folder = Path(self.media) / "presets"
        folder.mkdir()
        (folder / "acme-crm-deals.toml").write_text(MAPPING)
        with mock.patch.object(presets, "PRESETS_DIR", folder):
            form = self.client.get(reverse("import_new")).context["form"]
            self.assertIn(
                ("Deals", [("acme-crm-deals", "acme-crm-deals")]), form.fields["preset"].choices
            )
            response = self.submit(mapping=None, preset="acme-crm-deals")
            self.assertEqual(response.status_code, 302)
            run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual((run.mapping_name, run.created), ("acme-crm-deals.toml", 3))
        self.assertEqual(run.mapping_text, MAPPING)

    def test_a_crm_export_imports_with_its_shipped_preset(self):
        fixture = Path(__file__).resolve().parent / "fixtures" / "hubspot-companies.csv"
        form = self.client.get(reverse("import_new")).context["form"]
        accounts = dict(form.fields["preset"].choices)["Accounts"]
        self.assertIn(("hubspot-companies", "hubspot-companies"), accounts)
        response = self.client.post(
            reverse("import_new"),
            {
                "kind": "accounts",
                "file": upload("hubspot-companies.csv", fixture.read_bytes()),
                "preset": "hubspot-companies",
                "mode": "all",
            },
        )
        self.assertEqual(response.status_code, 302)
        shown = self.client.get(response.url).context["preview"]
        self.assertEqual([row.number for row in shown.rows], [2, 3, 4])
        self.assertTrue(all(row.ok for row in shown.rows))
        run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual((run.status, run.created, run.source), (RunStatus.DONE, 3, "hubspot"))

    def test_a_preset_for_another_kind_is_refused_on_the_preset_field(self):
        response = self.submit(mapping=None, preset="hubspot-companies")
        [error] = response.context["form"].errors["preset"]
        self.assertIn("this mapping is for 'accounts', not 'deals'", error)

    def test_people_can_be_imported_from_the_web(self):
        mapping = (
            'kind = "people"\n[columns]\nname = "Name"\nemail = "Email"\nrole = "Role"\n'
            '[fields.manager]\ncolumn = "Manager"\nmatch = "email"\n'
        )
        people = "Name,Email,Role,Manager\nPia,pia@acme.test,rep,maya@acme.test\n"
        response = self.client.post(
            reverse("import_new"),
            {
                "kind": "people",
                "file": upload("people.csv", people),
                "mapping_file": upload("people.toml", mapping),
                "mode": "all",
            },
        )
        self.assertEqual(
            response.status_code, 302, response.context and response.context["form"].errors
        )
        shown = self.client.get(response.url).context["preview"]
        self.assertEqual(
            [cell.value for cell in shown.rows[0].cells][:4],
            ["Pia", "pia@acme.test", "rep", "maya@acme.test"],
        )
        run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual((run.status, run.created), (RunStatus.DONE, 1), run.message)
        pia = Person.objects.get(email="pia@acme.test")
        self.assertEqual(pia.organisation, self.org)
        # The background job records the change as the admin's, who uploaded the file.
        created = AuditEntry.objects.get(
            content_type=ContentType.objects.get_for_model(Person), object_id=str(pia.pk)
        )
        self.assertEqual((created.actor, created.actor_name), (self.admin.user, "Ada"))


class ProgressTests(WebImportCase):
    def test_the_status_partial_polls_every_second_until_the_run_is_finished(self):
        response = self.submit()
        run = self.start(response.url, run_job=False)
        self.assertEqual(ImportRun.objects.get(pk=run.pk).status, RunStatus.QUEUED)
        status_url = reverse("import_status", args=[run.pk])
        polling = self.client.get(status_url, HTTP_HX_REQUEST="true")
        self.assertContains(polling, 'hx-trigger="every 1s"')
        self.assertContains(polling, f'hx-get="{status_url}"')
        self.assertNotContains(polling, "<html")
        page = self.client.get(reverse("import_run", args=[run.pk]))
        self.assertContains(page, '<meta http-equiv="refresh" content="2">')

        uploads.perform(run.pk)
        done = self.client.get(status_url, HTTP_HX_REQUEST="true")
        self.assertNotContains(done, "hx-trigger")
        self.assertContains(done, 'value="100"')
        self.assertContains(done, "<dd>3</dd>", html=False)
        page = self.client.get(reverse("import_run", args=[run.pk]))
        self.assertNotContains(page, 'http-equiv="refresh"')

    def test_a_poll_during_the_run_sees_how_far_the_file_has_been_read(self):
        response = self.submit()
        run = self.start(response.url, run_job=False)
        size = len(GOOD.encode())  # 232 bytes
        polls = []

        def poll(_run):
            polled = ImportRun.objects.get(pk=run.pk)
            polls.append((polled.status, polled.bytes_total, polled.rows_read, polled.percent))

        mapping = uploads.mapping_from_text(MAPPING, "deals", "deals.toml").mapping
        path = uploads.stored_path(ImportRun.objects.get(pk=run.pk).stored_file)
        import_file(run, path, mapping, Options(), progress=poll)
        self.assertEqual(polls[0], (RunStatus.READING, size, 0, 0))
        self.assertEqual(polls[-1], (RunStatus.WRITING, size, 3, 99))
        self.assertEqual(ImportRun.objects.get(pk=run.pk).percent, 100)

    def test_a_job_delivered_twice_imports_once(self):
        response = self.submit()
        run = self.start(response.url, run_job=False)
        uploads.perform(run.pk)
        uploads.perform(run.pk)
        run.refresh_from_db()
        self.assertEqual((run.created, Deal.objects.count()), (3, 3))

    def test_a_job_that_breaks_leaves_a_failed_run_and_writes_nothing(self):
        response = self.submit()
        run = self.start(response.url, run_job=False)
        with mock.patch.object(uploads, "import_file", side_effect=RuntimeError("disk gone")):
            with self.assertLogs("followthrough.ingest.uploads", "ERROR"):
                uploads.perform(run.pk)
        run.refresh_from_db()
        self.assertEqual((run.status, run.stored_file), (RunStatus.FAILED, ""))
        self.assertFalse(Deal.objects.exists())
        page = self.client.get(reverse("import_run", args=[run.pk]))
        self.assertContains(page, "The import stopped on an unexpected error; nothing was written.")
        self.assertNotContains(page, "hx-trigger")


class StoredFileTests(WebImportCase):
    def test_an_upload_is_stored_under_a_generated_name_and_deleted_after_the_run(self):
        response = self.submit(name="../../../etc/cron.d/evil.csv")
        self.assertEqual(response.status_code, 302)
        [stored] = self.stored_files()
        self.assertRegex(stored, r"^[0-9a-f]{32}\.csv$")
        self.assertTrue((uploads.upload_dir() / stored).is_file())
        run = self.start(response.url)
        run.refresh_from_db()
        self.assertEqual((run.file_name, run.stored_file), ("evil.csv", ""))
        self.assertEqual(self.stored_files(), [])

    def test_a_cancelled_preview_deletes_the_upload(self):
        response = self.submit()
        self.assertEqual(len(self.stored_files()), 1)
        cancelled = self.client.post(response.url, {"cancel": "1"})
        self.assertRedirects(cancelled, reverse("imports"))
        self.assertEqual(self.stored_files(), [])
        self.assertEqual(self.client.get(response.url).status_code, 404)
        self.assertFalse(ImportRun.objects.exists())

    def test_the_hourly_tidy_up_fails_stalled_runs_and_deletes_abandoned_uploads(self):
        started = self.submit()
        stalled = self.start(started.url, run_job=False)
        waiting = self.start(self.submit().url, run_job=False)
        abandoned = self.submit()  # previewed, never started
        seven_hours_ago = timezone.now() - dt.timedelta(hours=7)
        ImportRun.objects.filter(pk=stalled.pk).update(
            created_at=seven_hours_ago, status=RunStatus.WRITING
        )
        stalled_file = uploads.stored_path(stalled.stored_file)
        self.assertEqual(uploads.abandon_stalled_runs(), 1)
        stalled.refresh_from_db()
        self.assertEqual((stalled.status, stalled.stored_file), (RunStatus.FAILED, ""))
        self.assertFalse(stalled_file.exists())
        self.assertEqual(ImportRun.objects.get(pk=waiting.pk).status, RunStatus.QUEUED)

        # Files older than a day go, unless a run still waits for them.
        a_day_ago = time.time() - 25 * 3600
        for name in self.stored_files():
            os.utime(uploads.upload_dir() / name, (a_day_ago, a_day_ago))
        self.assertEqual(uploads.purge_stale_uploads(), 1)
        self.assertEqual(self.stored_files(), [ImportRun.objects.get(pk=waiting.pk).stored_file])
        self.assertEqual(self.client.get(abandoned.url).status_code, 404)

    def test_stored_names_that_are_not_ours_are_refused(self):
        for name in ("../settings.py", "deals.csv", "/etc/passwd", ""):
            with self.assertRaises(ValueError):
                uploads.stored_path(name)


class BadUploadTests(WebImportCase):
    @override_settings(UPLOAD_MAX_BYTES=100)
    def test_a_file_over_the_size_limit_gets_a_field_error(self):
        response = self.submit()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["file"],
            ["This file is 232\xa0bytes, over the limit of 100\xa0bytes."],
        )
        self.assertEqual(self.stored_files(), [])

    def test_a_mapping_with_an_unknown_field_gets_an_error_naming_it(self):
        response = self.submit(mapping=MAPPING + '\n[fields.colour]\ncolumn = "Colour"\n')
        self.assertEqual(response.status_code, 200)
        [error] = response.context["form"].errors["mapping_file"]
        self.assertIn("deals have no field colour", error)
        self.assertEqual(self.stored_files(), [])

    def test_a_mapping_that_is_not_toml_gets_an_error_naming_the_file(self):
        response = self.submit(mapping="kind = deals = [")
        [error] = response.context["form"].errors["mapping_file"]
        self.assertTrue(error.startswith("This mapping cannot be used: deals.toml: not valid TOML"))

    def test_mapping_values_of_the_wrong_shape_get_errors_naming_them(self):
        cases = [
            ("[fields.created_on]\nformat = 5", "fields.created_on.format must be a format"),
            (
                '[fields.account]\ncolumn = "Account"\nmatch = ["name"]',
                "fields.account.match must be",
            ),
            ("[fields.name]\nsplit = 5", "fields.name.split must be text"),
            ('delimiter = ";;"', "delimiter must be one character"),
            ('encoding = "klingon"', "unknown encoding 'klingon'"),
            ('timezone = "Mars/Base"', "unknown time zone 'Mars/Base'"),
        ]
        for extra, message in cases:
            with self.subTest(extra=extra):
                # Top-level keys go before the first table, field options after the mapping.
                text = MAPPING + "\n" + extra if extra.startswith("[") else extra + "\n" + MAPPING
                response = self.submit(mapping=text)
                self.assertEqual(response.status_code, 200)
                [error] = response.context["form"].errors["mapping_file"]
                self.assertIn(message, error)
        self.assertEqual(self.stored_files(), [])

    def test_a_mapping_for_another_kind_is_refused(self):
        response = self.submit(mapping=MAPPING.replace('kind = "deals"', 'kind = "accounts"'))
        [error] = response.context["form"].errors["mapping_file"]
        self.assertIn("this mapping is for 'accounts', not 'deals'", error)

    def test_a_mapping_is_required_and_an_unknown_preset_is_refused(self):
        response = self.submit(mapping=None)
        self.assertEqual(
            response.context["form"].errors["preset"],
            ["Choose a preset or upload a mapping file."],
        )
        response = self.submit(mapping=None, preset="no-such-crm")
        self.assertIn("Select a valid choice", response.context["form"].errors["preset"][0])

    def test_a_file_that_is_not_csv_or_excel_is_refused(self):
        response = self.submit(name="deals.exe")
        self.assertEqual(
            response.context["form"].errors["file"],
            ["Upload a CSV or Excel file (.csv, .tsv, .txt, .xlsx, .xlsm)."],
        )

    def test_a_binary_file_named_csv_is_stopped_at_the_preview(self):
        response = self.submit(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
        page = self.client.get(response.url)
        self.assertContains(page, "this is a binary file, not a CSV text file")
        self.assertFalse(page.context["preview"].can_run)


class PermissionTests(WebImportCase):
    def setUp(self):
        super().setUp()
        self.run = self.import_through_the_pages(BAD, mode="skip")

    def urls(self) -> list[str]:
        return [
            reverse("imports"),
            reverse("import_new"),
            reverse("import_run", args=[self.run.pk]),
            reverse("import_status", args=[self.run.pk]),
            reverse("import_rejected_csv", args=[self.run.pk]),
        ]

    def test_reps_managers_and_leaders_are_refused(self):
        for person in (self.rep, self.manager, self.leader):
            self.login(person)
            for url in self.urls():
                with self.subTest(person=person.name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 403)
            response = self.client.post(
                reverse("import_new"),
                {
                    "kind": "deals",
                    "file": upload("d.csv", GOOD),
                    "mapping_file": upload("m.toml", MAPPING),
                    "mode": "all",
                },
            )
            self.assertEqual(response.status_code, 403)
        self.assertEqual(self.stored_files(), [])

    def test_another_organisations_admin_sees_none_of_these_runs(self):
        self.login(self.outsider)
        listing = self.client.get(reverse("imports"))
        self.assertEqual(listing.status_code, 200)
        self.assertEqual(list(listing.context["page"].object_list), [])
        for url in self.urls()[2:]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_another_admin_cannot_use_a_draft_from_someone_elses_session(self):
        response = self.submit()
        token_url = response.url
        self.client.logout()
        self.login(self.outsider)
        self.assertEqual(self.client.get(token_url).status_code, 404)
        self.assertEqual(self.client.post(token_url, {"start": "1"}).status_code, 404)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.client.logout()
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response.url.startswith(reverse("login")))

    def test_only_admins_find_imports_in_the_navigation(self):
        page = self.client.get(reverse("imports"))
        self.assertContains(page, f'href="{reverse("imports")}"')
        self.login(self.manager)
        home = self.client.get(reverse("my_team"))
        self.assertNotContains(home, f'href="{reverse("imports")}"')


PEOPLE_MAPPING = """
kind = "people"
[columns]
name = "Name"
email = "Email"
role = "Role"
[fields.manager]
column = "Manager"
match = "email"
[fields.team]
column = "Team"
"""
# Row 2 is good; rows 3 to 6 each have one problem the run finds.
BAD_PEOPLE = (
    "Name,Email,Role,Manager,Team\n"
    "Pia,pia@acme.test,rep,maya@acme.test,Alpha\n"
    "Noor,not-an-email,rep,maya@acme.test,Alpha\n"
    "Ivo,ivo@acme.test,rep,nobody@acme.test,Alpha\n"
    "Eva,eva@acme.test,rep,maya@acme.test,Omega\n"
    "Pia,pia@acme.test,rep,maya@acme.test,Alpha\n"
)


class PreviewChecksWhatTheRunChecksTests(WebImportCase):
    def submit_people(self, text=BAD_PEOPLE, mode="all"):
        data = {
            "kind": "people",
            "file": upload("people.csv", text),
            "mapping_file": upload("people.toml", PEOPLE_MAPPING),
            "mode": mode,
        }
        return self.client.post(reverse("import_new"), data)

    def test_the_preview_of_people_lists_every_problem_the_run_finds(self):
        preview_url = self.submit_people(mode="skip").url
        shown = self.client.get(preview_url).context["preview"]
        problems = [(p.row, p.column, p.value, p.reason) for p in shown.problems]
        expected = [
            (3, "Email", "not-an-email", "not an e-mail address"),
            (4, "Manager", "nobody@acme.test", "unknown person"),
            (5, "Team", "Omega", "unknown team"),
            (6, "Email", "pia@acme.test", "the same person as row 2"),
        ]
        self.assertEqual(problems, expected)
        run = self.start(preview_url)
        run.refresh_from_db()
        stored = [(r.row, r.column, r.value, r.reason) for r in run.rejected_rows.order_by("row")]
        self.assertEqual(stored, expected)
        self.assertEqual((run.created, run.rejected), (1, 4))

    def test_skipping_says_how_many_rows_will_be_written_and_skipped(self):
        page = self.client.get(self.submit_people(mode="skip").url)
        self.assertContains(page, "4 rows have problems")
        self.assertContains(page, "Import the 1 valid row, skip 4")
        self.assertNotContains(page, "Run the import<")

    def test_the_problems_come_before_the_rows(self):
        page = self.client.get(self.submit_people().url).content.decode()
        self.assertLess(
            page.index('id="preview-problems"'), page.index('class="table compact preview"')
        )

    def test_a_file_with_no_valid_row_offers_no_run_even_when_skipping(self):
        only_bad = "Name,Email,Role,Manager,Team\nNoor,not-an-email,rep,maya@acme.test,Alpha\n"
        page = self.client.get(self.submit_people(only_bad, mode="skip").url)
        self.assertContains(page, "No row is valid: nothing would be imported.")
        self.assertNotContains(page, 'name="start"')

    def test_problems_below_the_rows_shown_are_listed_too(self):
        rows = "".join(
            f"D-{n},Deal {n},rita@acme.test,{'-1' if n == 30 else '5'},2025-01-10,Proposal,Open\n"
            for n in range(1, 41)
        )
        text = "Deal ID,Deal,Owner,Amount,Created,Stage,Outcome\n" + rows
        shown = self.client.get(self.submit(text, mode="skip").url).context["preview"]
        self.assertEqual(len(shown.rows), 10)
        self.assertEqual(
            [(p.row, p.reason) for p in shown.problems], [(31, "must not be negative")]
        )
        self.assertEqual((shown.rows_checked, shown.good_rows, shown.complete), (40, 39, True))
