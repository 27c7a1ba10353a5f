"""Importing a deal's co-owner: the column sets it, the team rule sets the share,
re-imports that change or remove it move the credit, and an unknown person is a row error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.test import TestCase

from followthrough.crm.credit import set_rule
from followthrough.crm.models import Deal
from followthrough.ingest.models import RunStatus
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.people.models import Organisation, Person, Role
from tests.ingest.support import import_text, problems

MAPPING = {
    "kind": "deals",
    "source": "crm",
    "columns": {
        "external_id": "Id",
        "amount": "Amount",
        "close_on": "Closed",
        "outcome": "Outcome",
    },
    "fields": {
        "owner": {"column": "Owner", "match": "email"},
        "co_owner": {"column": "Pair", "match": "email"},
    },
}
HEADER = "Id,Owner,Pair,Amount,Closed,Outcome"
MARCH = period_of(PeriodKind.MONTH, dt.date(2024, 3, 1))


@time_machine.travel("2024-05-20 12:00", tick=False)
class CoOwnerImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.ann, cls.ben, cls.cy = (
            Person.objects.create(
                organisation=cls.org, name=name, email=f"{name}@acme.test", role=Role.REP
            )
            for name in ("ann", "ben", "cy")
        )

    def imported(self, *rows: str):
        run = import_text(self.org, "\n".join([HEADER, *rows]) + "\n", MAPPING)
        return run

    def revenue(self, person) -> tuple[Decimal, Decimal]:
        keys = ["revenue_won", "deals_won"]
        rolled = engine.compute(self.org, keys, [MARCH])
        direct = engine.compute(self.org, keys, [MARCH], use_rollups=False)
        for key in keys:
            self.assertEqual(rolled.get(person.pk, key, MARCH), direct.get(person.pk, key, MARCH))
        return tuple(rolled.get(person.pk, key, MARCH).value for key in keys)

    def test_the_pair_column_shares_the_credit_and_reimports_move_it(self):
        run = self.imported("D1,ann@acme.test,ben@acme.test,10000,2024-03-15,won")
        self.assertEqual(run.status, RunStatus.DONE, problems(run))
        made = Deal.objects.get(external_id="D1")
        self.assertEqual((made.co_owner, made.co_owner_percent), (self.ben, 50))
        self.assertEqual(self.revenue(self.ann), (Decimal(5000), Decimal("0.5")))
        self.assertEqual(self.revenue(self.ben), (Decimal(5000), Decimal("0.5")))
        set_rule(self.org.pk, None, 20)
        self.assertEqual(self.revenue(self.ben), (Decimal(2000), Decimal("0.2")))
        # Another pair, then none: the credit follows.
        self.imported("D1,ann@acme.test,cy@acme.test,10000,2024-03-15,won")
        self.assertEqual(self.revenue(self.ben), (Decimal(0), Decimal(0)))
        self.assertEqual(self.revenue(self.cy), (Decimal(2000), Decimal("0.2")))
        self.imported("D1,ann@acme.test,,10000,2024-03-15,won")
        self.assertEqual(self.revenue(self.cy), (Decimal(0), Decimal(0)))
        self.assertEqual(self.revenue(self.ann), (Decimal(10000), Decimal(1)))

    def test_an_unknown_pair_is_a_clear_row_error(self):
        run = self.imported(
            "D1,ann@acme.test,ben@acme.test,100,2024-03-15,won",
            "D2,ann@acme.test,nobody@acme.test,100,2024-03-15,won",
        )
        rejected = problems(run)
        self.assertEqual(len(rejected), 1, rejected)
        _file, row, column, value, reason = rejected[0]
        self.assertEqual((column, value), ("Pair", "nobody@acme.test"))
        self.assertIn("nobody@acme.test", value)
        self.assertTrue(reason)
        self.assertFalse(Deal.objects.filter(external_id="D2", co_owner__isnull=False).exists())
