"""/api/v1/ladder-steps/: the ladder's rules over JSON, with field-level refusals."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.intervals import interval_for
from followthrough.coaching.models import LadderStep
from tests.cast import BaseTestCase
from tests.coaching.agreement_helpers import step_one, today

URL = "/api/v1/ladder-steps/"
DAY = dt.timedelta(days=1)


class LadderApiTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)

    def body(self, **overrides) -> dict:
        data = {
            "rep": self.rep.pk,
            "step": 1,
            "started_on": (self.today - 30 * DAY).isoformat(),
            "review_on": (self.today + 10 * DAY).isoformat(),
            "plan": "Two prospecting blocks a week.",
            "exit_criteria": "Eight first meetings a month.",
        }
        data.update(overrides)
        return data

    def post(self, who, url=URL, **data):
        self.login(who)
        return self.client.post(url, data, content_type="application/json")

    def test_a_manager_opens_step_one(self):
        response = self.post(self.manager, **self.body())
        self.assertEqual(response.status_code, 201, response.content)
        item = response.json()
        self.assertEqual(
            (item["step"], item["outcome"], item["opened_by"]), (1, "open", self.manager.pk)
        )
        self.assertTrue(item["url"].endswith(f"{URL}{item['id']}/"))

    def test_refusals_are_field_level_400s_and_save_nothing(self):
        cases = [
            (
                self.manager,
                {"step": 2},
                "step",
                "A rep starts the ladder at step 1, coach and develop.",
            ),
            (
                self.manager,
                {"rep": self.manager.pk},
                "rep",
                "You cannot open a ladder step for yourself.",
            ),
            (self.other_manager, {}, "rep", "This person does not report to you."),
            (
                self.manager,
                {"rep": self.other_rep.pk},
                "rep",
                "This person does not report to you.",
            ),
            (self.manager, {"rep": self.outsider_rep.pk}, "rep", "No such person."),
            (self.outsider, {}, "rep", "No such person."),
            (self.manager, {"review_on": (self.today - 40 * DAY).isoformat()}, "review_on", None),
            (self.manager, {"started_on": "2026-02-30"}, "started_on", None),
            (self.manager, {"step": 7}, "step", None),
            (self.manager, {"plan": ""}, "plan", None),
        ]
        for who, overrides, field, message in cases:
            response = self.post(who, **self.body(**overrides))
            self.assertEqual(response.status_code, 400, overrides)
            self.assertIn(field, response.json(), overrides)
            if message:
                self.assertEqual(response.json()[field], [message])
        self.assertFalse(LadderStep.objects.exists())

    def test_a_skipped_step_is_refused(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        self.post(
            self.manager,
            f"{URL}{first.pk}/review/",
            reviewed_on=str(self.today - 20 * DAY),
            review="Not yet.",
        )
        response = self.post(self.manager, **self.body(step=3))
        self.assertEqual(response.json(), {"step": ["Steps are not skipped: the next step is 2."]})

    def test_a_rep_may_not_open_a_step(self):
        self.assertEqual(self.post(self.rep, **self.body(rep=self.rep2.pk)).status_code, 403)

    def test_review_then_move_up_shortens_the_interval_and_leaving_restores_it(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        response = self.post(
            self.manager, **self.body(step=2, started_on=str(self.today - 20 * DAY))
        )
        self.assertEqual(
            response.json(), {"step": ["Record the review of step 1 before moving up."]}
        )
        response = self.post(
            self.manager,
            f"{URL}{first.pk}/review/",
            reviewed_on=str(self.today - 20 * DAY),
            review="Not yet.",
        )
        self.assertEqual(response.status_code, 200, response.content)
        response = self.post(
            self.manager, **self.body(step=2, started_on=str(self.today - 20 * DAY))
        )
        self.assertEqual(response.status_code, 201, response.content)
        second = response.json()
        self.assertEqual((second["previous"], second["report_interval"]), (first.pk, "daily"))
        self.assertEqual(interval_for(self.rep, self.today), "daily")
        url = f"{URL}{second['id']}/"
        response = self.post(self.manager, url + "close/", outcome="left", ended_on=str(self.today))
        self.assertEqual(
            response.json(), {"outcome": ["Record the review of this step before it ends."]}
        )
        self.post(
            self.manager, url + "review/", reviewed_on=str(self.today), review="Criteria met."
        )
        response = self.post(self.manager, url + "close/", outcome="left", ended_on=str(self.today))
        self.assertEqual((response.status_code, response.json()["outcome"]), (200, "left"))
        self.assertEqual(interval_for(self.rep, self.today), "weekly")

    def test_review_and_close_refuse_bad_input_field_by_field(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        url = f"{URL}{first.pk}/"
        cases = [
            ("review/", {"reviewed_on": str(self.today + DAY), "review": "x"}, "reviewed_on"),
            ("review/", {"reviewed_on": "nope", "review": "x"}, "reviewed_on"),
            ("review/", {"reviewed_on": str(self.today), "review": ""}, "review"),
            ("close/", {"outcome": "moved_up", "ended_on": str(self.today)}, "outcome"),
            ("close/", {"outcome": "left"}, "ended_on"),
        ]
        for action, data, field in cases:
            response = self.post(self.manager, url + action, **data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(field, response.json(), data)
        first.refresh_from_db()
        self.assertEqual((first.reviewed_on, first.outcome), (None, "open"))

    def test_only_someone_the_rep_reports_to_reviews_or_closes(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        url = f"{URL}{first.pk}/review/"
        data = {"reviewed_on": str(self.today), "review": "x"}
        expected = {
            self.rep: 403,
            self.rep2: 404,
            self.other_manager: 404,
            self.admin: 403,
            self.outsider: 404,
        }
        found = {who: self.post(who, url, **data).status_code for who in expected}
        self.assertEqual(found, expected)
        self.assertEqual(self.post(self.leader, url, **data).status_code, 200)

    def test_each_lists_only_the_steps_they_may_see(self):
        mine = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        robs = step_one(self.manager, self.rep2, started=self.today - 5 * DAY)
        olgas = step_one(self.other_manager, self.other_rep, started=self.today - 5 * DAY)
        expected = {
            self.rep: [mine.pk],
            self.rep2: [robs.pk],
            self.manager: [mine.pk, robs.pk],
            self.other_manager: [olgas.pk],
            self.leader: [mine.pk, robs.pk, olgas.pk],
            self.admin: [mine.pk, robs.pk, olgas.pk],
            self.outsider: [],
        }
        found = {}
        for who in expected:
            self.login(who)
            found[who] = sorted(i["id"] for i in self.client.get(URL).json()["results"])
        self.assertEqual(found, {who: sorted(ids) for who, ids in expected.items()})
        self.login(self.rep2)
        self.assertEqual(self.client.get(f"{URL}{mine.pk}/").status_code, 404)

    def test_the_list_filters_by_person_and_start_date(self):
        mine = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        robs = step_one(self.manager, self.rep2, started=self.today - 5 * DAY)
        self.login(self.manager)

        def ids(query):
            return [i["id"] for i in self.client.get(URL + query).json()["results"]]

        self.assertEqual(ids(f"?person={self.rep2.pk}"), [robs.pk])
        self.assertEqual(ids(f"?from={self.today - 10 * DAY}"), [robs.pk])
        self.assertEqual(ids(f"?until={self.today - 10 * DAY}"), [mine.pk])
        self.assertEqual(self.client.get(URL + "?from=x").status_code, 400)

    def test_a_step_is_never_edited_in_place(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        self.login(self.manager)
        for method in ("put", "patch", "delete"):
            response = getattr(self.client, method)(
                f"{URL}{first.pk}/", {}, content_type="application/json"
            )
            self.assertEqual(response.status_code, 405, method)
