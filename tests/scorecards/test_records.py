"""Drill-down: the definition and exactly the records behind a number."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from followthrough.metrics import engine
from tests.cast import BaseTestCase
from tests.scorecards.builders import TODAY, build_sales


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class RecordsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)

    def test_a_persons_number_drills_down_to_the_deals_counted(self):
        self.login(self.manager)
        url = reverse("person_records", args=[self.rep.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2026-03-01")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["total"], 2)
        metric = engine.get_metrics(self.org)["deals_won"]
        self.assertContains(response, engine.describe(metric))
        amounts = sorted(row[-1][0] for row in response.context["rows"])
        self.assertEqual([int(a) for a in amounts], [1000, 3000])

    def test_a_team_total_drills_down_to_the_members_records(self):
        self.login(self.manager)
        url = reverse("team_records", args=[self.team.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2026-03-01")
        self.assertEqual(response.context["total"], 3)

    def test_a_rate_drills_down_to_the_deals_it_divides_by(self):
        self.login(self.rep)
        url = reverse("person_records", args=[self.rep.pk, "win_rate"])
        response = self.client.get(url + "?kind=month&date=2026-03-01")
        # Win rate = won / closed: the three deals closed in March.
        self.assertEqual(response.context["total"], 3)
