"""The goals API: same rules as the form, field-level errors, refusals."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from followthrough.goals.models import Goal
from tests.cast import BaseTestCase

URL = "/api/v1/goals/"


class GoalApiTests(BaseTestCase):
    def post(self, who, **data):
        self.login(who)
        body = {"metric": "deals_won", "period_kind": "month", "day": "2026-03-05", "target": "4"}
        body.update(data)
        return self.client.post(URL, body, content_type="application/json")

    def test_a_manager_creates_a_goal_for_a_report(self):
        response = self.post(self.manager, person=self.rep.pk)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["period"], "2026-03")
        self.assertEqual(response.json()["start"], "2026-03-01")
        self.assertEqual(response.json()["end"], "2026-03-31")

    def test_bad_fields_are_named_in_the_errors(self):
        response = self.post(self.manager, person=self.rep.pk, target="-2", metric="nope")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"target", "metric"})
        response = self.post(self.manager, person=self.rep.pk, day="yesterday")
        self.assertEqual(set(response.json()), {"day"})
        response = self.post(self.manager, person=999999)
        self.assertEqual(response.json(), {"person": ["No such person."]})

    def test_refusals_for_people_and_roles_outside_reach(self):
        self.assertEqual(self.post(self.rep, person=self.rep.pk).status_code, 403)
        self.assertEqual(self.post(self.other_manager, person=self.rep.pk).status_code, 403)
        self.assertEqual(self.post(self.manager, team=self.team.pk).status_code, 403)
        self.assertEqual(self.post(self.outsider, person=self.rep.pk).status_code, 400)
        self.client.logout()
        self.assertIn(self.client.get(URL).status_code, (401, 403))
        self.assertFalse(Goal.objects.exists())

    def test_each_caller_lists_only_the_goals_they_may_see(self):
        self.post(self.manager, person=self.rep.pk)
        self.post(self.manager, person=self.rep2.pk)
        for who, count in (
            (self.rep, 1),
            (self.manager, 2),
            (self.other_manager, 0),
            (self.outsider, 0),
        ):
            self.login(who)
            self.assertEqual(self.client.get(URL).json()["count"], count, who)

    def test_update_and_delete_follow_the_same_rules(self):
        goal_id = self.post(self.manager, person=self.rep.pk).json()["id"]
        self.login(self.rep)
        response = self.client.patch(
            f"{URL}{goal_id}/", {"target": "9"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
        self.login(self.manager)
        response = self.client.patch(
            f"{URL}{goal_id}/", {"target": "9"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Goal.objects.get().target, 9)
        self.login(self.other_manager)
        self.assertEqual(self.client.delete(f"{URL}{goal_id}/").status_code, 404)
        self.login(self.leader)
        self.assertEqual(self.client.delete(f"{URL}{goal_id}/").status_code, 204)

    def test_csv_upload_reports_row_and_column(self):
        self.login(self.manager)
        upload = SimpleUploadedFile(
            "goals.csv", b"person,metric,period,target\nRita,nope,2026-Q1,3\n"
        )
        response = self.client.post(URL + "import/", {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["errors"],
            [{"row": 2, "column": "metric", "message": "Unknown metric nope."}],
        )
        upload = SimpleUploadedFile(
            "goals.csv", b"person,metric,period,target\nRita,deals_won,2026-Q1,3\n"
        )
        response = self.client.post(URL + "import/", {"file": upload})
        self.assertEqual(response.json(), {"created": 1, "updated": 0})
