"""The people import: the form's e-mail rule, and reporting lines that do not rewrite the past."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import time_machine

from followthrough.ingest.models import RunStatus
from followthrough.people.lines import line_on
from followthrough.people.models import Person
from tests.cast import BaseTestCase
from tests.ingest.support import import_path, write

# 10:00 in Amsterdam (the cast's organisation zone is the default) on 7 December 2026.
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 7)

PEOPLE = {
    "kind": "people",
    "columns": {"name": "Name", "email": "Email", "role": "Role"},
    "fields": {
        "manager": {"column": "Manager", "match": "email"},
        "team": {"column": "Team"},
    },
}


class PeopleImportCase(BaseTestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def run_file(self, text: str, mapping=PEOPLE, **options):
        with time_machine.travel(NOW, tick=False):
            return import_path(self.org, write(self.tmp, "people.csv", text), mapping, **options)


class EmailTests(PeopleImportCase):
    def test_an_address_the_person_form_refuses_is_refused_with_its_row_and_column(self):
        run = self.run_file(
            "Name,Email,Role,Manager,Team\n"
            "Nina,nina@acme.test,rep,maya@acme.test,Alpha\n"
            "Noor,not-an-email,rep,maya@acme.test,Alpha\n"
        )
        self.assertEqual(run.status, RunStatus.REJECTED)
        [problem] = run.rejected_rows.all()
        self.assertEqual(
            (problem.row, problem.column, problem.value, problem.reason),
            (3, "Email", "not-an-email", "not an e-mail address"),
        )
        self.assertFalse(Person.objects.filter(name__in=["Nina", "Noor"]).exists())

    def test_skipping_invalid_rows_writes_the_others_and_stores_addresses_as_the_form_does(self):
        run = self.run_file(
            "Name,Email,Role,Manager,Team\n"
            "Nina,NINA@Acme.test ,rep,maya@acme.test,Alpha\n"
            "Noor,noor@,rep,maya@acme.test,Alpha\n",
            skip_invalid=True,
        )
        self.assertEqual((run.status, run.created, run.rejected), (RunStatus.DONE, 1, 1))
        self.assertEqual(Person.objects.get(name="Nina").email, "nina@acme.test")


class ReportingLineStartTests(PeopleImportCase):
    def test_a_new_person_without_dates_reports_from_the_day_of_the_import(self):
        run = self.run_file(
            "Name,Email,Role,Manager,Team\nNina,nina@acme.test,rep,maya@acme.test,Alpha\n"
        )
        nina = Person.objects.get(name="Nina")
        self.assertEqual(line_on(nina, TODAY).team, self.team)
        # Yesterday, and so every past month's team figures, did not have her.
        self.assertIsNone(line_on(nina, TODAY - dt.timedelta(days=1)))
        self.assertEqual(len(run.warnings), 1)
        self.assertIn("1 new people have no start date", run.warnings[0])
        self.assertIn("2026-12-07", run.warnings[0])

    def test_an_effective_date_in_the_file_places_the_line_in_the_past(self):
        mapping = {**PEOPLE, "columns": {**PEOPLE["columns"], "effective": "Since"}}
        run = self.run_file(
            "Name,Email,Role,Manager,Team,Since\n"
            "Nina,nina@acme.test,rep,maya@acme.test,Alpha,2025-03-01\n",
            mapping=mapping,
        )
        nina = Person.objects.get(name="Nina")
        self.assertEqual(line_on(nina, dt.date(2025, 3, 1)).team, self.team)
        self.assertIsNone(line_on(nina, dt.date(2025, 2, 28)))
        self.assertEqual(run.warnings, [])

    def test_role_since_dates_a_new_persons_line_when_there_is_no_effective_column(self):
        mapping = {**PEOPLE, "columns": {**PEOPLE["columns"], "role_since": "In role since"}}
        self.run_file(
            "Name,Email,Role,Manager,Team,In role since\n"
            "Nina,nina@acme.test,rep,maya@acme.test,Alpha,2024-06-01\n",
            mapping=mapping,
        )
        nina = Person.objects.get(name="Nina")
        self.assertEqual(line_on(nina, dt.date(2024, 6, 1)).manager, self.manager)

    def test_a_manager_the_import_creates_also_starts_today(self):
        mapping = {
            **PEOPLE,
            "fields": {
                "manager": {"column": "Manager", "match": "name", "create_missing": True},
                "team": {"column": "Team", "create_missing": True},
            },
        }
        run = self.run_file(
            "Name,Email,Role,Manager,Team\nNina,nina@acme.test,rep,Zoe Boss,Gamma\n",
            mapping=mapping,
        )
        zoe = Person.objects.get(name="Zoe Boss")
        self.assertEqual(line_on(zoe, TODAY).team.name, "Gamma")
        self.assertIsNone(line_on(zoe, TODAY - dt.timedelta(days=1)))
        self.assertIn("2 new people have no start date", run.warnings[0])


class ReportTests(PeopleImportCase):
    def test_the_run_page_says_when_the_new_lines_start(self):
        run = self.run_file(
            "Name,Email,Role,Manager,Team\nNina,nina@acme.test,rep,maya@acme.test,Alpha\n"
        )
        self.login(self.admin)
        page = self.client.get(f"/imports/{run.pk}/")
        self.assertContains(
            page, "their reporting lines start on the day of the import, 2026-12-07"
        )
