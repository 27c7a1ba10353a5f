"""The assessments and focus-areas API: the pages' rules, anonymity and private notes."""

from __future__ import annotations

from followthrough.assessments import assessing, checklist
from followthrough.assessments.models import Assessment, AssessmentKind, AssessmentStatus, FocusArea
from tests.assessments.test_assessments_pages import SECRET, AssessmentPageCase


class AssessmentApiTests(AssessmentPageCase):
    def test_anonymous_visitors_are_refused(self):
        self.assertIn(self.client.get("/api/v1/assessments/").status_code, (401, 403))
        self.assertIn(self.client.get("/api/v1/focus-areas/").status_code, (401, 403))

    def test_the_list_filters_and_each_item_has_its_url(self):
        one = self.submitted(private_note=SECRET)
        self.start(rep=self.rep2)
        self.login(self.manager)
        body = self.client.get(f"/api/v1/assessments/?rep={self.rep.pk}&kind=manager").json()
        self.assertEqual([row["id"] for row in body["results"]], [one.pk])
        self.assertTrue(body["results"][0]["url"].endswith(f"/api/v1/assessments/{one.pk}/"))
        self.assertEqual(len(body["results"][0]["ratings"]), len(self.competency_ids))
        self.assertEqual(body["results"][0]["private_note"], SECRET)
        response = self.client.get("/api/v1/assessments/?kind=nonsense&cycle=soon")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"kind", "cycle"})

    def test_who_reads_an_assessment_and_its_private_note(self):
        one = self.submitted(private_note=SECRET)
        url = f"/api/v1/assessments/{one.pk}/"
        for person in (self.rep2, self.other_manager, self.outsider):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person.name)
        self.login(self.rep)
        body = self.client.get(url).json()
        self.assertIsNone(body["private_note"])
        self.login(self.leader)
        self.assertEqual(self.client.get(url).json()["private_note"], SECRET)

    def test_an_anonymous_peer_review_carries_no_rater_for_the_rep(self):
        [review] = checklist.request_peer_reviews(
            by=self.manager, rep=self.rep, peers=[self.other_rep], cycle=self.cycle
        )
        self.rate_all(review)
        assessing.submit(review)
        self.login(self.rep)
        for url in (f"/api/v1/assessments/{review.pk}/", "/api/v1/assessments/"):
            text = self.client.get(url).content.decode()
            self.assertIn('"rater":null', text.replace(" ", ""))
            self.assertNotIn("Olga", text)
            self.assertNotIn(f'"rater":{self.other_rep.pk}', text.replace(" ", ""))
        self.login(self.manager)
        self.assertEqual(
            self.client.get(f"/api/v1/assessments/{review.pk}/").json()["rater"], self.other_rep.pk
        )

    def test_the_manager_creates_rates_submits_and_corrects(self):
        self.login(self.manager)
        response = self.client.post(
            "/api/v1/assessments/",
            {"rep": self.rep.pk, "kind": "manager", "ask_self_first": True},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertTrue(
            Assessment.objects.filter(kind=AssessmentKind.SELF, requested_by=self.manager).exists()
        )
        bad = self.client.post(
            f"/api/v1/assessments/{pk}/rate/",
            {"ratings": [{"competency": self.competency_ids[0], "level": "stellar"}]},
            content_type="application/json",
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("level", bad.json())
        early = self.client.post(f"/api/v1/assessments/{pk}/submit/")
        self.assertEqual(early.status_code, 400)
        self.assertIn("ratings", early.json())
        ratings = [
            {"competency": c, "level": "meets", "evidence": "Call"} for c in self.competency_ids
        ]
        rated = self.client.post(
            f"/api/v1/assessments/{pk}/rate/", {"ratings": ratings}, content_type="application/json"
        )
        self.assertEqual(rated.status_code, 200)
        self.assertEqual(
            self.client.post(f"/api/v1/assessments/{pk}/submit/").json()["status"], "submitted"
        )
        again = self.client.post(
            f"/api/v1/assessments/{pk}/rate/", {"ratings": ratings}, content_type="application/json"
        )
        self.assertEqual(again.status_code, 403)
        fixed = self.client.post(
            f"/api/v1/assessments/{pk}/correct/",
            {"correction_reason": "Wrong call"},
            content_type="application/json",
        )
        self.assertEqual(fixed.status_code, 201)
        self.assertEqual(fixed.json()["version"], 2)
        self.assertEqual(fixed.json()["supersedes"], pk)

    def test_refusals_for_the_wrong_people(self):
        one = self.submitted()
        self.login(self.rep)
        response = self.client.post(
            "/api/v1/assessments/",
            {"rep": self.rep2.pk, "kind": "manager"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            self.client.post(
                f"/api/v1/assessments/{one.pk}/correct/", {"correction_reason": "x"}
            ).status_code,
            403,
        )
        self.login(self.manager)
        response = self.client.post(
            "/api/v1/assessments/",
            {"rep": self.manager.pk, "kind": "manager"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("rep", response.json())
        self.login(self.other_manager)
        response = self.client.post(
            "/api/v1/assessments/peers/",
            {"rep": self.rep.pk, "peers": [self.rep2.pk]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Assessment.objects.filter(kind=AssessmentKind.PEER).exists())


class FocusApiTests(AssessmentPageCase):
    def test_the_manager_picks_within_the_limit_and_closes(self):
        one = self.submitted()
        self.login(self.manager)
        made = []
        for index in range(3):
            response = self.client.post(
                "/api/v1/focus-areas/",
                {"assessment": one.pk, "competency": self.competency_ids[index]},
                content_type="application/json",
            )
            self.assertEqual(response.status_code, 201, response.content)
            made.append(response.json()["id"])
        response = self.client.post(
            "/api/v1/focus-areas/",
            {"assessment": one.pk, "competency": self.competency_ids[3]},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("competency", response.json())
        closed = self.client.post(
            f"/api/v1/focus-areas/{made[0]}/close/",
            {"status": "achieved"},
            content_type="application/json",
        )
        self.assertEqual(closed.json()["status"], "achieved")
        self.login(self.rep)
        body = self.client.get("/api/v1/focus-areas/?status=active").json()
        self.assertEqual(len(body["results"]), 2)
        self.assertEqual(
            self.client.post(
                f"/api/v1/focus-areas/{made[1]}/close/", {"status": "dropped"}
            ).status_code,
            403,
        )
        for person in (self.rep2, self.other_manager, self.outsider):
            self.login(person)
            self.assertEqual(self.client.get("/api/v1/focus-areas/").json()["results"], [])
            self.assertEqual(self.client.get(f"/api/v1/focus-areas/{made[1]}/").status_code, 404)
        self.assertEqual(FocusArea.objects.count(), 3)
        self.assertEqual(Assessment.objects.get(pk=one.pk).status, AssessmentStatus.SUBMITTED)
