"""The demo's habits, found by the three rights with the default thresholds."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.demo.build import build_demo
from followthrough.diagnostics import three_rights
from followthrough.diagnostics.findings import Status
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.people.models import Person, Role

TODAY = dt.date(2026, 6, 15)
JANUARY = period_of(PeriodKind.MONTH, dt.date(2026, 1, 1))


class ThreeRightsDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = build_demo(TODAY, reps=8, months=12)
        reps = Person.objects.filter(organisation=cls.org, role=Role.REP, is_active=True)
        cls.reps = [p for p in reps if p.role_since <= JANUARY.end]
        cls.found = {
            r.person.name: r
            for r in three_rights.assess(cls.org, cls.reps, JANUARY, TODAY).values()
        }

    def flagged(self, right: str) -> set[str]:
        return {
            name
            for name, rights in self.found.items()
            if getattr(rights, right).status in (Status.WATCH, Status.HELP)
        }

    def test_the_january_stopper_needs_help_on_the_right_thing_and_nobody_else_is_flagged(self):
        self.assertEqual(self.found["Sara Visser"].thing.status, Status.HELP)
        self.assertEqual(self.flagged("thing"), {"Sara Visser"})

    def test_the_cold_emailer_is_the_only_one_flagged_on_the_right_way(self):
        self.assertEqual(self.flagged("way"), {"Tom de Jong"})
        self.assertIn("cold e-mails", self.found["Tom de Jong"].way.reasons[0].text)

    def test_the_strong_prospector_is_ok_on_thing_and_way(self):
        ruben = self.found["Ruben Rep"]
        self.assertEqual((ruben.thing.status, ruben.way.status), (Status.OK, Status.OK))

    def test_the_leaders_services_target_flags_nobody_with_the_default_tolerance(self):
        reasons = [s.text for s in self.found["Ruben Rep"].thing.reasons]
        self.assertTrue(any("Services" in text for text in reasons), reasons)
