"""Goals for days outside the supported range are field errors, on the form and the API."""

from __future__ import annotations

from django.urls import reverse

from followthrough.goals.imports import import_goals
from followthrough.goals.models import Goal
from tests.cast import BaseTestCase


class GoalDateRangeTests(BaseTestCase):
    def form(self, **data):
        self.login(self.manager)
        body = {
            "person": self.rep.pk,
            "metric_key": "deals_won",
            "period_kind": "year",
            "day": "9999-12-31",
            "target": "4",
            "ramp": "organisation",
        }
        body.update(data)
        return self.client.post(reverse("goal_new"), body)

    def test_the_goal_form_refuses_year_9999_on_the_day_field(self):
        for kind in ("week", "month", "quarter", "year", "fiscal_year"):
            with self.subTest(kind=kind):
                response = self.form(period_kind=kind)
                self.assertEqual(response.status_code, 200)
                self.assertIn("day", response.context["form"].errors)
                self.assertIn("2199", response.context["form"].errors["day"][0])
        self.assertFalse(Goal.objects.exists())

    def test_the_goal_form_refuses_a_custom_range_ending_in_year_9999(self):
        response = self.form(period_kind="custom", day="2026-01-01", until="9999-12-31")
        self.assertIn("until", response.context["form"].errors)
        response = self.form(period_kind="month", day="0001-01-01")
        self.assertIn("day", response.context["form"].errors)

    def test_the_goal_api_refuses_year_9999_with_a_field_error(self):
        self.login(self.manager)
        body = {
            "person": self.rep.pk,
            "metric": "deals_won",
            "period_kind": "year",
            "day": "9999-12-31",
            "target": "4",
        }
        response = self.client.post("/api/v1/goals/", body, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"day"})

    def test_the_goal_import_refuses_years_the_pages_cannot_show(self):
        text = "person,metric,period,target\nRita,deals_won,9999,4\nRita,deals_won,2500-Q1,4\n"
        result = import_goals(self.leader, text.encode())
        self.assertFalse(result.ok)
        self.assertEqual([(e.row, e.column) for e in result.errors], [(2, "period"), (3, "period")])
        self.assertFalse(Goal.objects.exists())
