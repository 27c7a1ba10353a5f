"""The manager scorecard in the API, and the calendar address in /api/v1/me/."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.urls import reverse

from followthrough.coaching import feeds
from tests.cast import BaseTestCase
from tests.coaching.managers_history import build_history

NOW = dt.datetime(2025, 3, 20, 11, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
class ManagerScorecardApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_history(cls)

    def get(self, viewer, manager=None, **params):
        self.login(viewer)
        url = reverse("api-manager-scorecard", args=[(manager or self.manager).pk])
        return self.client.get(url, params)

    def test_the_figures_for_a_range(self):
        response = self.get(self.leader, **{"from": "2025-03-01", "until": "2025-03-31"})
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual((data["start"], data["end"]), ("2025-03-01", "2025-03-31"))
        self.assertEqual(data["reps"], 2)
        self.assertEqual(data["deal_review_days"], 14)
        figures = {f["key"]: f for f in data["figures"]}
        self.assertEqual(
            (
                Decimal(figures["one_on_ones"]["numerator"]),
                Decimal(figures["one_on_ones"]["denominator"]),
            ),
            (4, 6),
        )
        self.assertEqual(Decimal(figures["commitments"]["value"]), Decimal("0.4"))
        self.assertEqual(Decimal(figures["stepped_in"]["value"]), 1)
        self.assertEqual(figures["attainment"]["note"], "revenue_won")
        self.assertIn("/managers/", figures["self_reports"]["records_url"])

    def test_a_natural_period_by_kind_and_date(self):
        data = self.get(self.manager, kind="quarter", date="2025-02-10").json()
        self.assertEqual((data["start"], data["end"]), ("2025-01-01", "2025-03-31"))

    def test_the_same_rights_as_the_page(self):
        for viewer in (self.manager, self.leader, self.admin, self.rep, self.rep2):
            self.assertEqual(self.get(viewer).status_code, 200, viewer)
        for viewer in (self.other_manager, self.other_rep):
            self.assertEqual(self.get(viewer).status_code, 403, viewer)
        self.assertEqual(self.get(self.outsider).status_code, 404)
        self.assertEqual(self.get(self.rep, self.other_manager).status_code, 403)
        self.assertEqual(self.get(self.manager, self.rep).status_code, 404)
        self.client.logout()
        url = reverse("api-manager-scorecard", args=[self.manager.pk])
        self.assertIn(self.client.get(url).status_code, (401, 403))

    def test_bad_periods_are_field_level_400s(self):
        cases = [
            ({"from": "2025-03-31", "until": "2025-03-01"}, "until"),
            ({"from": "2025-03-01"}, "until"),
            ({"until": "2025-03-01"}, "from"),
            ({"from": "yesterday", "until": "2025-03-01"}, "from"),
            ({"kind": "decade"}, "kind"),
            ({"date": "0001-01-01"}, "date"),
            ({"from": "2020-01-01", "until": "2025-03-01"}, "until"),
        ]
        for params, field in cases:
            response = self.get(self.manager, **params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn(field, response.json(), params)

    def test_the_endpoint_is_in_the_schema(self):
        self.login(self.admin)
        schema = self.client.get(reverse("api-schema")).content.decode()
        self.assertIn("/api/v1/people/{id}/manager-scorecard/", schema.replace("{pk}", "{id}"))


class MeCalendarUrlTests(BaseTestCase):
    def test_me_gives_the_calendar_url_once_there_is_one(self):
        self.login(self.rep)
        self.assertIsNone(self.client.get(reverse("api-me")).json()["calendar_url"])
        feed = feeds.regenerate(self.rep)
        url = self.client.get(reverse("api-me")).json()["calendar_url"]
        self.assertTrue(url.endswith(reverse("calendar_feed", args=[feed.token])))
        self.assertTrue(url.startswith("http"))
        self.assertEqual(self.client.get(url).status_code, 200)
