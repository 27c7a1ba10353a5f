"""The scorecards API: the page's figures, computed by hand (tests/scorecards/builders.py),
and the page's refusals."""

from __future__ import annotations

import time_machine

from tests.cast import BaseTestCase
from tests.scorecards.builders import TODAY, build_sales

URL = "/api/v1/scorecards/"


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class ScorecardApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)

    def card(self, who, person, query=""):
        self.login(who)
        return self.client.get(f"{URL}{person.pk}/{query}")

    def test_a_rep_reads_their_own_scorecard_with_the_pages_figures(self):
        body = self.card(self.rep, self.rep).json()
        self.assertEqual(
            (body["start"], body["end"], body["kind"]), ("2026-03-01", "2026-03-31", "month")
        )
        won = next(k for k in body["kpis"] if k["key"] == "deals_won")
        # 2 won of a target of 4: 50 %; expected by 16 March 4 × 16/31 ≈ 2.06: behind.
        self.assertEqual((float(won["value"]), float(won["target"])), (2, 4))
        self.assertEqual(float(won["attainment"]), 0.5)
        self.assertEqual(won["pace"], "behind")
        self.assertAlmostEqual(float(won["expected_by_today"]), 64 / 31, places=5)
        self.assertEqual(float(won["baseline"]), 1)  # December 1, January 2, February 0
        self.assertEqual(len(won["trend"]), 12)
        self.assertEqual(won["shared_deals"], 0)
        revenue = next(k for k in body["kpis"] if k["key"] == "revenue_won")
        self.assertEqual(float(revenue["value"]), 4000)

    def test_a_period_is_chosen_as_on_the_page_and_a_bad_date_says_so(self):
        body = self.card(self.rep, self.rep, "?kind=quarter&date=2026-02-10").json()
        self.assertEqual((body["start"], body["end"]), ("2026-01-01", "2026-03-31"))
        bad = self.card(self.rep, self.rep, "?kind=month&date=someday").json()
        self.assertEqual(bad["start"], "2026-03-01")
        self.assertTrue(bad["notices"])

    def test_the_list_names_whose_scorecards_the_caller_may_read(self):
        self.login(self.rep)
        listed = self.client.get(URL).json()["results"]
        self.assertEqual([row["id"] for row in listed], [self.rep.pk])
        self.assertTrue(listed[0]["url"].endswith(f"{URL}{self.rep.pk}/"))
        self.login(self.manager)
        names = {row["name"] for row in self.client.get(URL).json()["results"]}
        self.assertLessEqual({"Rita", "Rob", "Maya"}, names)
        self.assertNotIn("Olga", names)

    def test_refusals(self):
        self.assertEqual(self.card(self.rep, self.rep2).status_code, 404)
        self.assertEqual(self.card(self.manager, self.other_rep).status_code, 404)
        self.assertEqual(self.card(self.outsider, self.rep).status_code, 404)
        self.assertEqual(self.card(self.admin, self.other_rep).status_code, 200)
        self.assertEqual(self.card(self.leader, self.other_rep).status_code, 200)
        self.assertEqual(self.card(self.other_manager, self.rep).status_code, 404)
        self.client.logout()
        self.assertIn(self.client.get(f"{URL}{self.rep.pk}/").status_code, (401, 403))
