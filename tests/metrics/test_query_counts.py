"""The engine costs the same number of queries for 3 people as for 30, and for 1 period as for 12."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from followthrough.lib.periods import PeriodKind, last_periods, period_of
from followthrough.metrics import engine
from followthrough.metrics.catalog import BUILTIN_KEYS
from followthrough.people.lines import move
from followthrough.people.models import Organisation, Person, Team
from tests.metrics.helpers import activity, deal

D = dt.date
MONTHS = last_periods(period_of(PeriodKind.MONTH, D(2024, 12, 1)), 12)


class QueryCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.team = Team.objects.create(organisation=cls.org, name="Alpha")
        cls.people = []
        for number in range(30):
            person = Person.objects.create(organisation=cls.org, name=f"Rep {number:02d}")
            move(person, manager=None, team=cls.team, on=D(2024, 1, 1))
            deal(
                cls.org,
                person,
                created=D(2024, 1, 3),
                closed=D(2024, 2, number % 28 + 1),
                outcome="won" if number % 3 else "lost",
                amount=100 + number,
            )
            activity(cls.org, person, D(2024, 3, number % 28 + 1), "meeting")
            cls.people.append(person)

    def queries(self, people: list[Person], periods) -> int:
        with CaptureQueriesContext(connection) as captured:
            results = engine.compute(self.org, list(BUILTIN_KEYS), periods, [p.pk for p in people])
        self.assertEqual(len(results), len(people) * len(periods) * len(BUILTIN_KEYS))
        return len(captured)

    def test_three_and_thirty_people_cost_the_same_number_of_queries(self):
        self.assertEqual(self.queries(self.people[:3], MONTHS), self.queries(self.people, MONTHS))

    def test_one_and_twelve_periods_cost_the_same_number_of_queries(self):
        self.assertEqual(self.queries(self.people, MONTHS[:1]), self.queries(self.people, MONTHS))

    def test_a_team_costs_a_constant_number_of_queries(self):
        with CaptureQueriesContext(connection) as captured:
            engine.compute_teams(self.org, list(BUILTIN_KEYS), MONTHS)
        self.assertLessEqual(len(captured), 10)

    def test_a_team_with_many_people_who_moved_costs_the_same_queries_as_with_one(self):
        other = Team.objects.create(organisation=self.org, name="Beta")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                engine.compute_teams(self.org, list(BUILTIN_KEYS), MONTHS)
            return len(captured)

        move(self.people[0], manager=None, team=other, on=D(2024, 2, 10))
        one = count()
        for number, person in enumerate(self.people[1:20]):
            move(person, manager=None, team=other, on=D(2024, 2 + number % 9, 1 + number))
        self.assertEqual(count(), one)
