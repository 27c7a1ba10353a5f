"""/api/v1/self-reports/: the rep writes their own; someone else's is a field-level 400."""

from __future__ import annotations

import datetime as dt

import time_machine

from followthrough.coaching.models import SelfReport
from tests.cast import BaseTestCase

NOON = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)
URL = "/api/v1/self-reports/"


@time_machine.travel(NOON, tick=False)
class SelfReportApiTests(BaseTestCase):
    def post(self, who, **data):
        self.login(who)
        return self.client.post(URL, data, content_type="application/json")

    def test_the_rep_submits_the_current_period(self):
        response = self.post(
            self.rep, results="Good week", coached_on="discovery", changed="more questions"
        )
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(
            (body["period_start"], body["due_on"], body["state"]),
            ("2026-03-09", "2026-03-13", "submitted"),
        )
        self.assertTrue(body["url"].endswith(f"{URL}{body['id']}/"))

    def test_a_self_report_for_someone_else_is_refused_on_the_rep_field(self):
        for who in (self.manager, self.rep2, self.admin):
            response = self.post(who, rep=self.rep.pk, results="x")
            with self.subTest(who=who.name):
                self.assertEqual(response.status_code, 400)
                self.assertIn("rep", response.json())
        self.assertFalse(SelfReport.objects.filter(rep=self.rep).exists())

    def test_bad_periods_and_missing_words_are_field_errors(self):
        for data, field in [
            ({"results": ""}, "results"),
            ({"results": "x", "period_start": "2026-03-10"}, "period_start"),
            ({"results": "x", "period_start": "2026-03-16"}, "period_start"),
        ]:
            response = self.post(self.rep, **data)
            with self.subTest(data=data):
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())

    def test_the_manager_lists_and_reviews_their_reps_reports(self):
        report_id = self.post(self.rep, results="Good week").json()["id"]
        self.post(self.other_rep, results="Olga's week")
        self.login(self.manager)
        results = self.client.get(URL).json()["results"]
        self.assertEqual([r["id"] for r in results], [report_id])
        response = self.client.post(
            f"{URL}{report_id}/review/",
            {"manager_comment": "Well done"},
            content_type="application/json",
        )
        self.assertEqual(response.json()["manager_comment"], "Well done")
        self.login(self.other_manager)
        response = self.client.post(
            f"{URL}{report_id}/review/", {}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 404)
        self.login(self.rep)
        self.assertEqual(
            self.client.get(f"{URL}?person={self.rep.pk}&from=2026-03-09&until=2026-03-09").json()[
                "count"
            ],
            1,
        )
