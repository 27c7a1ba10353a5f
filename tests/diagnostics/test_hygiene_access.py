"""Who sees the hygiene lists and the integrity signals, on the pages and in the API."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from followthrough.crm.models import DealChange
from followthrough.diagnostics.stage_order import order_from_moves
from followthrough.people.lines import today_for
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

HYGIENE, INTEGRITY = "/early-warnings/hygiene/", "/early-warnings/integrity/"
API_HYGIENE, API_INTEGRITY = "/api/v1/diagnostics/hygiene/", "/api/v1/diagnostics/integrity/"


class HygieneAccessTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = today_for(cls.org)
        past = today - dt.timedelta(days=10)
        # Rita's deal: close date passed and pushed three times (a hygiene issue, a signal).
        cls.deal = deal(
            cls.org, cls.rep, created=today - dt.timedelta(days=60), closed=past, name="Rita's deal"
        )
        for i in range(3):
            DealChange.objects.create(
                organisation=cls.org,
                deal=cls.deal,
                field="close_date",
                old_value=(past - dt.timedelta(days=30 - 10 * i)).isoformat(),
                new_value=(past - dt.timedelta(days=20 - 10 * i)).isoformat(),
                changed_at=timezone.now() - dt.timedelta(days=20 - 5 * i),
            )
        deal(
            cls.org,
            cls.other_rep,
            created=today - dt.timedelta(days=5),
            closed=past,
            name="Olga's deal",
        )

    def test_anonymous_visitors_are_sent_to_log_in_or_refused(self):
        self.assertEqual(self.client.get(HYGIENE).status_code, 302)
        self.assertEqual(self.client.get(INTEGRITY).status_code, 302)
        self.assertIn(self.client.get(API_HYGIENE).status_code, (401, 403))
        self.assertIn(self.client.get(API_INTEGRITY).status_code, (401, 403))

    def test_a_rep_sees_their_own_hygiene_list_and_nobody_elses(self):
        self.login(self.rep)
        page = self.client.get(HYGIENE)
        self.assertContains(page, "Rita&#x27;s deal")
        self.assertNotContains(page, "Olga")
        body = self.client.get(API_HYGIENE).json()
        self.assertEqual([row["id"] for row in body], [self.rep.pk])
        self.assertTrue(body[0]["url"].endswith(f"{API_HYGIENE}{self.rep.pk}/"))
        # 60 days without activity, and its close date 10 days past.
        self.assertEqual({i["rule"] for i in body[0]["issues"]}, {"stale", "close_past"})
        self.assertEqual(self.client.get(f"{API_HYGIENE}{self.rep2.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{API_HYGIENE}{self.other_rep.pk}/").status_code, 404)

    def test_a_rep_never_sees_integrity_signals_not_even_about_themself(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(INTEGRITY).status_code, 403)
        self.assertEqual(self.client.get(API_INTEGRITY).status_code, 403)
        self.assertEqual(self.client.get(f"{API_INTEGRITY}{self.rep.pk}/").status_code, 403)
        self.assertNotContains(self.client.get(HYGIENE), "pushed")

    def test_the_manager_sees_the_teams_signals_with_their_records(self):
        self.login(self.manager)
        body = self.client.get(API_INTEGRITY).json()
        self.assertEqual({row["id"] for row in body}, {self.rep.pk, self.rep2.pk})
        rita = next(row for row in body if row["id"] == self.rep.pk)
        self.assertEqual(rita["signals"][0]["kind"], "push")
        self.assertEqual(len(rita["signals"][0]["records"]), 3)
        self.assertEqual(rita["signals"][0]["records"][0]["model"], "deal_change")
        self.assertContains(self.client.get(INTEGRITY), "pushed 3 times")
        self.assertEqual(self.client.get(f"{API_INTEGRITY}{self.rep.pk}/").status_code, 200)

    def test_another_teams_manager_and_an_outsider_are_refused(self):
        for person in (self.other_manager, self.outsider):
            self.login(person)
            for url in (f"{API_HYGIENE}{self.rep.pk}/", f"{API_INTEGRITY}{self.rep.pk}/"):
                self.assertEqual(self.client.get(url).status_code, 404, (person.name, url))
            self.assertNotContains(self.client.get(HYGIENE), "Rita")
            self.assertNotContains(self.client.get(INTEGRITY), "Rita")
            self.assertNotIn(
                self.rep.pk, [row["id"] for row in self.client.get(API_INTEGRITY).json()]
            )

    def test_a_peer_rep_is_refused(self):
        self.login(self.rep2)
        self.assertEqual(self.client.get(f"{API_HYGIENE}{self.rep.pk}/").status_code, 404)
        self.assertEqual(self.client.get(INTEGRITY).status_code, 403)

    def test_a_team_not_in_view_is_a_field_error_not_a_500(self):
        self.login(self.manager)
        for url in (API_HYGIENE, API_INTEGRITY):
            response = self.client.get(f"{url}?team={self.other_team.pk}")
            self.assertEqual(response.status_code, 400)
            self.assertEqual(list(response.json()), ["team"])
            self.assertEqual(self.client.get(f"{url}?team=abc").status_code, 400)
        self.assertEqual(self.client.get(f"{HYGIENE}?team={self.other_team.pk}").status_code, 400)
        self.assertEqual(self.client.get(f"{API_HYGIENE}?team={self.team.pk}").status_code, 200)

    def test_a_leader_and_the_admin_see_everyone_in_their_view(self):
        for person, expected in ((self.leader, 3), (self.admin, 3)):
            self.login(person)
            self.assertEqual(len(self.client.get(API_HYGIENE).json()), expected)
            self.assertEqual(len(self.client.get(API_INTEGRITY).json()), expected)

    def test_the_endpoints_are_in_the_openapi_schema(self):
        self.login(self.admin)
        schema = self.client.get("/api/schema/").content.decode()
        for path in (API_HYGIENE, API_INTEGRITY, API_HYGIENE + "{id}/"):
            self.assertIn(path, schema)

    def test_the_pages_cost_a_fixed_number_of_queries(self):
        self.login(self.admin)
        self.client.get(HYGIENE)
        with self.assertNumQueries(PAGE_QUERIES):
            self.client.get(HYGIENE)
        deal(self.org, self.rep2, created=today_for(self.org), name="Rob's deal")
        with self.assertNumQueries(PAGE_QUERIES):
            self.client.get(HYGIENE)


PAGE_QUERIES = 17


class StageOrderTests(BaseTestCase):
    def test_the_order_makes_most_moves_go_forward(self):
        order = order_from_moves(
            {
                ("", "Prospecting"): 10,
                ("Prospecting", "Qualification"): 9,
                ("Qualification", "Demo"): 8,
                ("Qualification", "Proposal"): 1,
                ("Demo", "Proposal"): 8,
                ("Proposal", "Negotiation"): 8,
                ("Negotiation", "Proposal"): 2,
                ("Negotiation", "Closed Won"): 6,
                ("Demo", "Closed Lost"): 1,
            }
        )
        self.assertEqual(
            order.stages, ["Prospecting", "Qualification", "Demo", "Proposal", "Negotiation"]
        )
        self.assertEqual(order.final, {"Closed Won", "Closed Lost"})
        self.assertTrue(order.is_backwards("Negotiation", "Proposal"))
        self.assertFalse(order.is_backwards("Negotiation", "Closed Won"))
        # Qualification -> Proposal: 1 of 9 moves out of Qualification (11 % >= 5 %): a path.
        self.assertEqual(order.skipped("Qualification", "Proposal"), [])
        # Prospecting -> Demo never happens: a skip of Qualification.
        self.assertEqual(order.skipped("Prospecting", "Demo"), ["Qualification"])


class HygieneChartTests(BaseTestCase):
    def test_the_chart_keeps_its_coordinates_in_any_language(self):
        from followthrough.diagnostics.models import HygieneScore

        today = today_for(self.org)
        for weeks, clean in ((2, 3), (1, 4)):
            HygieneScore.objects.create(
                organisation=self.org,
                person=self.rep,
                day=today - dt.timedelta(weeks=weeks),
                open_deals=4,
                clean_deals=clean,
            )
        self.login(self.rep)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        page = self.client.get(HYGIENE).content.decode()
        self.assertIn("Hygiënescore", page)
        # 75 % then 100 %: y = 10 + 128 × 25 / 100 = 42.0, then 10.0.
        self.assertIn('points="48.0,42.0 592.0,10.0"', page)
        self.assertIn('cx="48.0" cy="42.0"', page)
