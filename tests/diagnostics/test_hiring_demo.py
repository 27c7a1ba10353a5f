"""The demo's hiring forecast: the Europe region's plan for next year shows hires."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.diagnostics import hiring
from followthrough.diagnostics.models import HiringAssumptions
from followthrough.people.models import Team

TODAY = dt.date(2026, 12, 7)


class DemoHiringTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=MIN_REPS, months=12)
        cls.europe = Team.objects.get(organisation=cls.org, name="Europe")
        cls.found = hiring.forecast_teams(
            cls.org, list(Team.objects.filter(organisation=cls.org)), 2027, TODAY
        )

    def test_the_leader_set_next_years_target_and_attrition_for_europe(self):
        saved = HiringAssumptions.objects.get(team=self.europe)
        self.assertEqual(
            (saved.year, saved.attrition, saved.updated_by.name), (2027, 15, "Liam Leader")
        )
        forecast = self.found[self.europe.pk]
        self.assertEqual(forecast.assumption(hiring.Key.TARGET).source, hiring.Source.YOURS)
        self.assertEqual(
            forecast.assumption(hiring.Key.PRODUCTIVITY).source, hiring.Source.MEASURED
        )

    def test_europe_must_hire_and_open_roles_now(self):
        plan = self.found[self.europe.pk].plan
        # The target is 30 % above today's capacity: at least two of eight reps more.
        self.assertGreaterEqual(plan.total_hires, 2)
        self.assertTrue(plan.opened_before(dt.date(2027, 1, 1)))
        self.assertGreaterEqual(plan.capacity, plan.target * 98 / 100)

    def test_the_sellers_are_the_account_executives_not_the_sdrs(self):
        # Eight account executives; the two SDRs win no revenue and do not count.
        self.assertEqual(self.found[self.europe.pk].sellers, 8)

    def test_the_ramp_is_measured_from_the_onboarding_program(self):
        dach = Team.objects.get(organisation=self.org, name="DACH")
        ramp = self.found[dach.pk].assumption(hiring.Key.RAMP)
        self.assertEqual(ramp.source, hiring.Source.MEASURED)
        self.assertIn("onboarding program", ramp.how.text)

    def test_nobody_left_so_the_measured_attrition_of_the_region_is_zero(self):
        attrition = self.found[self.europe.pk].assumption(hiring.Key.ATTRITION)
        self.assertEqual(attrition.measured, 0)
        # Jonas Weber moved from Benelux to DACH: a loss for Benelux only.
        benelux = Team.objects.get(organisation=self.org, name="Benelux")
        self.assertGreater(self.found[benelux.pk].assumption(hiring.Key.ATTRITION).measured, 0)
