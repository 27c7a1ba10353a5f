"""The hiring forecast's page and API: who sees it, who edits the assumptions, errors in words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import time_machine
from django.urls import reverse

from followthrough.audit.models import AuditEntry
from followthrough.diagnostics.models import HiringAssumptions
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

NOW = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)
PAGE = reverse("diagnostics_hiring")
API = "/api/v1/diagnostics/hiring-forecast/"


@time_machine.travel(NOW, tick=False)
class HiringPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for month in range(6, 12):
            day = dt.date(2026, month, 15)
            for person, amount in ((cls.rep, 12000), (cls.rep2, 6000), (cls.other_rep, 3000)):
                deal(cls.org, person, created=day, closed=day, outcome="won", amount=amount)

    def post(self, data, team=None):
        team = team or self.team
        return self.client.post(f"{PAGE}?team={team.pk}&year=2027", data)

    def form(self, **changes):
        data = {"metric_key": "revenue_won", "growth": "20", "lead_months": "2"}
        data.update(changes)
        return data

    def test_a_manager_sees_their_teams_forecast_without_the_form(self):
        self.login(self.manager)
        response = self.client.get(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["team"], self.team)
        self.assertEqual(response.context["year"], 2027)
        self.assertIsNone(response.context["form"])
        self.assertContains(response, "Month by month")
        self.assertContains(response, "measured")

    def test_a_rep_is_refused(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(PAGE).status_code, 403)
        self.assertEqual(self.client.get(API).status_code, 403)

    def test_another_teams_manager_and_an_outsider_get_404_for_the_team(self):
        for person in (self.other_manager, self.outsider):
            self.login(person)
            self.assertEqual(self.client.get(f"{PAGE}?team={self.team.pk}").status_code, 404)
            self.assertEqual(self.client.get(f"{API}{self.team.pk}/").status_code, 404)

    def test_a_bad_team_or_year_is_refused_in_words_not_a_500(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(f"{PAGE}?team=abc").status_code, 404)
        response = self.client.get(f"{PAGE}?year=1999")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose one of the years offered.")
        self.assertEqual(self.client.get(f"{API}?year=1999").status_code, 400)
        self.assertEqual(self.client.get(f"{API}?team=abc").status_code, 400)

    def test_a_leader_sees_the_region_first_and_edits_the_assumptions_audited(self):
        self.login(self.leader)
        response = self.client.get(PAGE)
        self.assertEqual(response.context["team"], self.region)
        self.assertIsNotNone(response.context["form"])
        response = self.post(self.form(annual_target="600000", attrition="0", ramp_months="1"))
        self.assertRedirects(response, f"{PAGE}?team={self.team.pk}&year=2027")
        saved = HiringAssumptions.objects.get(team=self.team, year=2027)
        self.assertEqual((saved.annual_target, saved.updated_by), (D(600000), self.leader))
        entry = AuditEntry.objects.get(object_id=str(saved.pk), object_repr=str(saved))
        self.assertEqual(entry.actor, self.leader.user)
        self.assertEqual(entry.changes["annual_target"][1], "600000")
        page = self.client.get(f"{PAGE}?team={self.team.pk}&year=2027")
        # 50,000 a month against 2 × 9,000: 4 hires starting in February (test_hiring_measured).
        self.assertEqual(page.context["forecast"].plan.total_hires, 4)
        self.assertContains(page, "your value")

    def test_this_year_plans_only_the_months_left(self):
        self.login(self.leader)
        response = self.client.get(f"{PAGE}?team={self.team.pk}&year=2026")
        self.assertEqual(
            [m.month.key for m in response.context["forecast"].plan.months], ["2026-12"]
        )

    def test_a_manager_may_not_post_assumptions(self):
        self.login(self.manager)
        self.assertEqual(self.post(self.form(annual_target="1")).status_code, 403)
        self.assertFalse(HiringAssumptions.objects.exists())

    def test_a_bad_value_is_a_field_error(self):
        self.login(self.admin)
        response = self.post(self.form(attrition="150", ramp_months="0"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("attrition", response.context["form"].errors)
        self.assertIn("ramp_months", response.context["form"].errors)
        self.assertFalse(HiringAssumptions.objects.exists())

    def test_the_api_lists_every_team_the_viewer_sees_with_id_and_url(self):
        self.login(self.leader)
        response = self.client.get(API)
        self.assertEqual(response.status_code, 200)
        items = response.json()
        self.assertEqual(
            {i["id"] for i in items}, {self.region.pk, self.team.pk, self.other_team.pk}
        )
        alpha = next(i for i in items if i["id"] == self.team.pk)
        self.assertTrue(alpha["url"].endswith(f"{API}{self.team.pk}/?year=2027"))
        self.assertEqual(len(alpha["months"]), 12)
        self.assertEqual(
            [a["key"] for a in alpha["assumptions"]],
            ["annual_target", "productivity", "ramp_months", "attrition", "lead_months"],
        )
        productivity = alpha["assumptions"][1]
        self.assertEqual(
            (productivity["measured"], productivity["source"]), ("9000.00", "measured")
        )
        detail = self.client.get(alpha["url"])
        self.assertEqual(detail.json()["id"], self.team.pk)

    def test_the_api_for_a_manager_covers_their_team_only(self):
        self.login(self.manager)
        items = self.client.get(API).json()
        self.assertEqual([i["id"] for i in items], [self.team.pk])
        self.assertEqual(self.client.get(f"{API}?team={self.other_team.pk}").status_code, 400)

    def test_the_endpoints_are_in_the_openapi_schema(self):
        self.login(self.admin)
        schema = self.client.get("/api/schema/").content.decode()
        self.assertIn("/api/v1/diagnostics/hiring-forecast/", schema)
        self.assertIn("/api/v1/diagnostics/hiring-forecast/{id}/", schema)
