"""Rate targets: typed in percent in the form and CSV, fractions in the JSON API; never 3,000 %."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from followthrough.goals.imports import import_goals
from followthrough.goals.models import Goal
from followthrough.goals.units import TargetError, parse_typed
from tests.cast import BaseTestCase
from tests.goals.test_goal_pages import form_data


class RateMetric:
    unit = "percent"


class CountMetric:
    unit = "count"


def test_a_csv_cell_is_read_in_percent_for_rates_and_as_is_otherwise():
    assert parse_typed("30", RateMetric) == Decimal("0.3")
    assert parse_typed("30 %", RateMetric) == Decimal("0.3")
    assert parse_typed("0.5 %", RateMetric) == Decimal("0.005")
    assert parse_typed("50,000", CountMetric) == Decimal(50000)
    for bad, metric in (("0.3", RateMetric), ("3000", RateMetric), ("-1", CountMetric)):
        try:
            parse_typed(bad, metric)
        except TargetError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


class RateTargetPageTests(BaseTestCase):
    def post(self, **overrides):
        self.login(self.manager)
        data = form_data(**{"person": self.rep.pk, "metric_key": "win_rate", **overrides})
        return self.client.post(reverse("goal_new"), data)

    def test_a_win_rate_of_30_in_the_form_is_stored_as_30_percent(self):
        self.post(target="30")
        self.assertEqual(Goal.objects.get().target, Decimal("0.3"))

    def test_a_win_rate_of_3000_percent_is_refused_with_a_hint(self):
        response = self.post(target="3000")
        self.assertEqual(
            response.context["form"].errors["target"],
            ["A rate is a percentage from 0 to 100: type 30 for 30 %, not 3000."],
        )
        self.assertFalse(Goal.objects.exists())

    def test_editing_a_rate_goal_shows_the_percentage_typed(self):
        self.post(target="36")
        goal = Goal.objects.get()
        response = self.client.get(reverse("goal_edit", args=[goal.pk]))
        self.assertContains(response, 'name="target" value="36"')
        self.assertContains(response, "Win rate (%)")
        # Saving the form unchanged keeps 36 %, not 0.36 %.
        self.client.post(
            reverse("goal_edit", args=[goal.pk]),
            form_data(person=self.rep.pk, metric_key="win_rate", target="36"),
        )
        goal.refresh_from_db()
        self.assertEqual(goal.target, Decimal("0.36"))

    def test_counts_keep_their_own_unit_and_negative_targets_are_refused(self):
        self.post(metric_key="deals_won", target="30")
        self.assertEqual(Goal.objects.get().target, Decimal(30))
        response = self.post(target="-5", day="2026-06-01")
        self.assertEqual(
            response.context["form"].errors["target"], ["A target cannot be negative."]
        )


class RateTargetImportTests(BaseTestCase):
    def run_import(self, target: str):
        text = f"person,metric,period,target\nRita,win_rate,2026-Q1,{target}\n"
        return import_goals(self.manager, text.encode())

    def test_a_csv_win_rate_of_30_or_30_percent_is_stored_as_30_percent(self):
        for typed in ("30", "30 %", "30%"):
            result = self.run_import(typed)
            self.assertTrue(result.ok, result.errors)
            self.assertEqual(Goal.objects.get().target, Decimal("0.3"), typed)

    def test_a_fraction_or_3000_in_a_csv_is_refused_with_a_hint(self):
        fraction = self.run_import("0.3")
        self.assertEqual(
            fraction.errors[0].message,
            "Rates are percentages: type 30 for 30 % (or 0.3 % if you mean that).",
        )
        self.assertEqual(self.run_import("3000").errors[0].column, "target")
        self.assertEqual(self.run_import("-30").errors[0].message, "A target cannot be negative.")
        self.assertFalse(Goal.objects.exists())


class RateTargetApiTests(BaseTestCase):
    def post(self, target):
        self.login(self.manager)
        body = {
            "person": self.rep.pk,
            "metric": "win_rate",
            "period_kind": "quarter",
            "day": "2026-02-01",
            "target": target,
        }
        return self.client.post("/api/v1/goals/", body, content_type="application/json")

    def test_the_api_takes_rates_as_fractions_and_returns_them_so(self):
        response = self.post("0.3")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Decimal(response.json()["target"]), Decimal("0.3"))

    def test_the_api_refuses_a_rate_over_1_with_a_hint(self):
        response = self.post("30")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"target": ["Rates are fractions in the API: 0.3 for 30 %; 30 is more than 100 %."]},
        )
        self.assertEqual(self.post("-0.1").status_code, 400)
        self.assertFalse(Goal.objects.exists())
