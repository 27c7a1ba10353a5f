"""Importing the same export twice changes nothing; a later export is recorded as history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import TestCase

from followthrough.crm.models import Deal, DealChange, DealStageChange
from followthrough.ingest.models import RunStatus
from followthrough.people.models import Organisation, Person, Role
from tests.ingest.support import DEALS_HEADER, import_text, stored

MONDAY = "\n".join(
    [
        DEALS_HEADER,
        "D1,Globex,rita@acme.test,,1000.00,2024-01-10,2024-03-31,Discovery",
        "D2,Initech,rita@acme.test,,2500.00,2024-01-12,2024-04-30,Proposal",
        "D3,Umbrella,rob@acme.test,,700.00,2024-01-15,2024-05-15,Discovery",
    ]
)
# A week later: D1 moved on and slipped a month, D2 grew and was won, D3 changed owner.
NEXT_MONDAY = "\n".join(
    [
        DEALS_HEADER,
        "D1,Globex,rita@acme.test,,1000.00,2024-01-10,2024-04-30,Proposal",
        "D2,Initech,rita@acme.test,,3000.00,2024-01-12,2024-04-30,Won",
        "D3,Umbrella,rita@acme.test,,700.00,2024-01-15,2024-05-15,Discovery",
        "D4,Hooli,rob@acme.test,,400.00,2024-01-20,2024-06-30,Discovery",
    ]
)


class ReimportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.rita = Person.objects.create(
            organisation=cls.org, name="Rita", email="rita@acme.test", role=Role.REP
        )
        cls.rob = Person.objects.create(
            organisation=cls.org, name="Rob", email="rob@acme.test", role=Role.REP
        )

    def test_the_same_file_twice_changes_nothing(self):
        first = import_text(self.org, MONDAY)
        self.assertEqual((first.created, first.updated, first.unchanged), (3, 0, 0))
        before = stored(self.org)
        again = import_text(self.org, MONDAY)
        self.assertEqual(again.status, RunStatus.DONE)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 3))
        self.assertEqual(stored(self.org), before)
        self.assertFalse(DealStageChange.objects.exists())
        self.assertFalse(DealChange.objects.exists())

    def test_a_later_export_records_stage_moves_pushes_and_amount_changes(self):
        import_text(self.org, MONDAY)
        later = import_text(self.org, NEXT_MONDAY)
        self.assertEqual((later.created, later.updated, later.unchanged), (1, 3, 0))
        moves = DealStageChange.objects.order_by("deal__external_id").values_list(
            "deal__external_id", "from_stage", "to_stage"
        )
        self.assertEqual(list(moves), [("D1", "Discovery", "Proposal"), ("D2", "Proposal", "Won")])
        changes = DealChange.objects.order_by("deal__external_id", "field").values_list(
            "deal__external_id", "field", "old_value", "new_value"
        )
        self.assertEqual(
            list(changes),
            [
                ("D1", "close_date", "2024-03-31", "2024-04-30"),
                ("D2", "amount", "2500.00", "3000.00"),
                ("D3", "owner", str(self.rob.pk), str(self.rita.pk)),
            ],
        )
        d2 = Deal.objects.get(external_id="D2")
        self.assertEqual((d2.outcome, d2.amount), ("won", Decimal("3000.00")))
        self.assertEqual(Deal.objects.get(external_id="D1").close_on, dt.date(2024, 4, 30))
        # The later export again: nothing more to record.
        again = import_text(self.org, NEXT_MONDAY)
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 4))
        self.assertEqual(DealStageChange.objects.count(), 2)
        self.assertEqual(DealChange.objects.count(), 3)

    def test_a_dry_run_counts_but_writes_nothing(self):
        import_text(self.org, MONDAY)
        before = stored(self.org)
        run = import_text(self.org, NEXT_MONDAY, dry_run=True)
        self.assertEqual((run.status, run.created, run.updated), (RunStatus.DONE, 1, 3))
        self.assertIn("dry run", run.message)
        self.assertEqual(stored(self.org), before)
