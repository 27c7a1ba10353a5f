"""The people import refuses start dates the person form refuses (lib/validators.py)."""

from __future__ import annotations

import datetime as dt

import time_machine

from followthrough.people.models import Person
from tests.cast import BaseTestCase
from tests.ingest.support import import_text, problems

MAPPING = {
    "kind": "people",
    "columns": {"name": "Name", "role": "Role", "role_since": "Since"},
}


@time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False)
class PeopleImportStartDateTests(BaseTestCase):
    def test_in_role_since_2099_or_1900_is_a_rejected_row(self):
        text = "Name,Role,Since\nNina,rep,2099-01-01\nNed,rep,1900-01-01\nNora,rep,2026-11-01\n"
        run = import_text(self.org, text, MAPPING, name="people.csv", skip_invalid=True)
        rows = {(row, column, value) for _file, row, column, value, _reason in problems(run)}
        self.assertEqual(rows, {(2, "Since", "2099-01-01"), (3, "Since", "1900-01-01")})
        self.assertTrue(Person.objects.filter(name="Nora").exists())
        self.assertFalse(Person.objects.filter(name__in=["Nina", "Ned"]).exists())
