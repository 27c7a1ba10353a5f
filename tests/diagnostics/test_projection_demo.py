"""The projection on the demo organisation: its track record within the bound
docs/diagnostics.md states, and the slipping prospector flagged on right time."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.diagnostics import projection as pj
from followthrough.diagnostics.findings import Status
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics.totals import team_members
from followthrough.people.models import Person, Team

TODAY = dt.date(2026, 12, 7)
# docs/diagnostics.md, "The bound the demo test asserts".
BOUND = 0.40


class ProjectionDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = build_demo(TODAY, reps=MIN_REPS, months=12)
        cls.teams = list(Team.objects.filter(organisation=cls.org, name__in=["Benelux", "DACH"]))
        cls.people = {p.name: p for p in Person.objects.filter(organisation=cls.org)}

    def test_projected_from_months_1_to_6_the_error_on_months_7_to_9_stays_within_the_bound(self):
        members = team_members(self.org, TODAY, [t.pk for t in self.teams])
        reps = pj._reps(self.org, set().union(*members.values()))
        facts = pj.gather(self.org, reps, TODAY)
        errors, baseline_errors, actuals = [], [], []
        for team in self.teams:
            ids = [pid for pid in reps if pid in members[team.pk]]
            first = pj.fit(facts, ids, facts.last_complete).start  # month 1: the data's first
            result = pj.backtest(facts, ids, months=[first + 5])  # fitted on months 1-6
            self.assertEqual([r.ahead for r in result.rows], [1, 2, 3])  # months 7, 8, 9
            errors += [abs(r.projected - r.actual) for r in result.rows]
            baseline_errors += [abs(r.baseline - r.actual) for r in result.rows]
            actuals += [r.actual for r in result.rows]
        mae, mean_actual = sum(errors) / len(errors), sum(actuals) / len(actuals)
        self.assertLessEqual(mae, BOUND * mean_actual, (mae, mean_actual))
        self.assertLess(mae, sum(baseline_errors) / len(baseline_errors))

    def test_the_slipping_prospector_is_flagged_on_right_time_and_the_strong_one_is_not(self):
        month = period_of(PeriodKind.MONTH, TODAY)
        names = ["Mia Schulz", "Ruben Rep", "Jonas Weber", "Tom de Jong", "Sara Visser"]
        found = pj.right_time(self.org, [self.people[n] for n in names], month, TODAY)
        mia = found[self.people["Mia Schulz"].pk]
        self.assertIn(mia.status, (Status.WATCH, Status.HELP))
        self.assertGreater(mia.gap, 0)
        self.assertIn("below need", mia.reasons[0].text)
        for name in names[1:]:
            self.assertEqual(found[self.people[name].pk].status, Status.OK, name)
        # The team page sorts by projected gap: Mia before the steady reps of DACH.
        dach = next(t for t in self.teams if t.name == "DACH")
        order = [r.person.name for r in pj.project_teams(self.org, [dach], TODAY)[dach.pk].reps]
        self.assertLess(order.index("Mia Schulz"), order.index("Jonas Weber"))
