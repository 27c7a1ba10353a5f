"""A bulk rebuild (indexes and keys dropped, then made again) writes the same rollups."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.test import TestCase

from followthrough.metrics import rollups
from followthrough.metrics.models import Rollup
from followthrough.people.models import Organisation, Person
from tests.metrics.helpers import activity, deal, stage_change

DAY = dt.date(2024, 2, 5)
MONTH = dt.date(2024, 2, 1)


def rows() -> list[tuple]:
    return sorted(
        Rollup.objects.values_list("metric__key", "person_id", "grain", "day", "n", "total")
    )


class BulkRebuildTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.ann = Person.objects.create(organisation=cls.org, name="Ann")
        cls.ben = Person.objects.create(organisation=cls.org, name="Ben")
        activity(cls.org, cls.ann, DAY)
        activity(cls.org, cls.ann, DAY, type="email")
        activity(cls.org, cls.ben, DAY + dt.timedelta(days=30))
        won = deal(cls.org, cls.ann, created=DAY, closed=DAY, outcome="won", amount=1200)
        deal(cls.org, cls.ben, created=DAY, closed=DAY, outcome="lost", amount=300)
        stage_change(cls.org, won, "Won", DAY)

    def test_the_rows_equal_those_kept_up_to_date_by_the_writes(self):
        before = rows()
        count = rollups.rebuild(self.org.pk, bulk=True)
        self.assertEqual(rows(), before)
        self.assertEqual(count, len(before))
        calls = Rollup.objects.get(metric__key="calls", person=self.ann, day=MONTH)
        self.assertEqual((calls.n, calls.total), (1, Decimal(1)))
        revenue = Rollup.objects.get(metric__key="revenue_won", person=self.ann, day=MONTH)
        self.assertEqual((revenue.n, revenue.total), (1, Decimal(1200)))

    def test_the_indexes_and_keys_are_back_afterwards(self):
        rollups.rebuild(self.org.pk, bulk=True)
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Rollup._meta.db_table)
        self.assertTrue(found["rollup_cell_cover"]["index"])
        self.assertTrue(found["rollup_person_cover"]["index"])
        self.assertTrue(found["rollup_unique_cell"]["unique"])
        keys = sorted(c["foreign_key"][0] for c in found.values() if c["foreign_key"])
        self.assertEqual(keys, ["metrics_metric", "people_organisation", "people_person"])
        cell = Rollup.objects.filter(person=self.ann, day=MONTH).first()
        with self.assertRaises(IntegrityError), transaction.atomic():
            Rollup.objects.create(
                organisation=self.org,
                metric=cell.metric,
                person=self.ann,
                grain=cell.grain,
                day=MONTH,
                n=5,
                total=5,
            )
