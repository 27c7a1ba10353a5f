"""/api/v1/problems/: the rep raises their own; the manager is told; someone else's is a 400."""

from __future__ import annotations

from followthrough.coaching.models import Notification, Problem
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

URL = "/api/v1/problems/"


class ProblemApiTests(BaseTestCase):
    def post(self, who, **data):
        self.login(who)
        return self.client.post(URL, data, content_type="application/json")

    def test_the_rep_raises_one_on_a_deal_and_the_manager_is_notified(self):
        big = deal(self.org, self.rep, name="Van Dijk")
        response = self.post(self.rep, deal=big.pk, text="Legal is silent")
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(
            (body["manager"], body["deal"], body["status"]), (self.manager.pk, big.pk, "open")
        )
        self.assertEqual(Notification.objects.get().recipient, self.manager)

    def test_a_problem_for_someone_else_or_on_their_deal_is_refused(self):
        robs = deal(self.org, self.rep2, name="Rob's")
        response = self.post(self.manager, rep=self.rep.pk, text="x")
        self.assertEqual(response.status_code, 400)
        self.assertIn("rep", response.json())
        response = self.post(self.rep, deal=robs.pk)
        self.assertIn("deal", response.json())
        self.assertFalse(Problem.objects.exists())

    def test_lists_and_resolving_follow_the_rules(self):
        problem_id = self.post(self.rep, text="stuck").json()["id"]
        for who, count in [
            (self.rep, 1),
            (self.manager, 1),
            (self.rep2, 0),
            (self.other_manager, 0),
            (self.outsider, 0),
        ]:
            self.login(who)
            with self.subTest(who=who.name):
                self.assertEqual(self.client.get(URL).json()["count"], count)
        self.login(self.manager)
        response = self.client.post(
            f"{URL}{problem_id}/resolve/", {"resolution": ""}, content_type="application/json"
        )
        self.assertIn("resolution", response.json())
        response = self.client.post(
            f"{URL}{problem_id}/resolve/", {"resolution": "Sorted"}, content_type="application/json"
        )
        self.assertEqual(response.json()["status"], "resolved")
