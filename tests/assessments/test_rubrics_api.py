"""/api/v1/rubrics/ and /api/v1/scorecard-templates/: the pages' rules, field-level 400s."""

from __future__ import annotations

from rest_framework.test import APIClient

from followthrough.assessments.models import Rubric, ScorecardTemplate
from tests.assessments.base import RubricTestCase


class RubricApiTests(RubricTestCase):
    def client_for(self, person) -> APIClient:
        client = APIClient()
        client.force_authenticate(person.user)
        return client

    def test_everyone_lists_rubrics_with_steps_competencies_and_levels(self):
        body = self.client_for(self.rep).get("/api/v1/rubrics/").json()
        rubric = body["results"][0]
        self.assertEqual(rubric["id"], self.rubric.pk)
        self.assertTrue(rubric["url"].endswith(f"/api/v1/rubrics/{self.rubric.pk}/"))
        self.assertEqual([lv["key"] for lv in rubric["levels"]], ["below", "meets", "exceeds"])
        self.assertEqual(len(rubric["sections"]), 6)
        self.assertIn("behaviours", rubric["sections"][0]["competencies"][0])

    def test_another_organisation_sees_nothing(self):
        client = self.client_for(self.outsider)
        self.assertEqual(client.get("/api/v1/rubrics/").json()["count"], 0)
        self.assertEqual(client.get(f"/api/v1/rubrics/{self.rubric.pk}/").status_code, 404)
        url = f"/api/v1/scorecard-templates/{self.template.pk}/"
        self.assertEqual(client.get(url).status_code, 404)

    def test_anonymous_is_refused(self):
        self.assertIn(APIClient().get("/api/v1/rubrics/").status_code, (401, 403))

    def test_a_rep_may_not_change_the_standards(self):
        client = self.client_for(self.rep)
        self.assertEqual(client.post("/api/v1/rubrics/", {"name": "Mine"}).status_code, 403)
        body = {"name": "X", "rubric": self.rubric.pk}
        self.assertEqual(client.post("/api/v1/scorecard-templates/", body).status_code, 403)

    def test_a_manager_creates_and_adapts_a_rubric(self):
        client = self.client_for(self.manager)
        response = client.post(
            "/api/v1/rubrics/",
            {
                "name": "Field sales",
                "levels": [{"key": "no", "label": "No"}, {"key": "yes", "label": "Yes"}],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.json())
        pk = response.json()["id"]
        response = client.post(f"/api/v1/rubrics/{pk}/sections/", {"name": "Visit"}, format="json")
        section = response.json()["sections"][0]["id"]
        response = client.post(
            f"/api/v1/rubrics/{pk}/competencies/",
            {
                "section": section,
                "name": "Arrives prepared",
                "behaviours": {"yes": "Has a plan"},
                "metric_key": "win_rate",
            },
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.json())
        competency = response.json()["sections"][0]["competencies"][0]
        self.assertEqual(competency["behaviours"], {"no": "", "yes": "Has a plan"})

    def test_bad_input_is_a_field_level_400(self):
        client = self.client_for(self.manager)
        response = client.post(
            "/api/v1/rubrics/", {"name": "X", "levels": [{"key": "a", "label": "A"}]}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("levels", response.json())
        self.assertFalse(Rubric.objects.filter(name="X").exists())
        response = client.post(
            f"/api/v1/rubrics/{self.rubric.pk}/competencies/",
            {"section": 0, "name": "Y"},
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("section", response.json())
        response = client.post(
            f"/api/v1/rubrics/{self.rubric.pk}/competencies/",
            {
                "section": self.rubric.sections.first().pk,
                "name": "Y",
                "behaviours": {"great": "x"},
                "metric_key": "nope",
            },
            format="json",
        )
        self.assertEqual(set(response.json()), {"behaviours", "metric_key"})

    def test_templates_publish_versions_and_refuse_a_stale_one(self):
        client = self.client_for(self.manager)
        url = f"/api/v1/scorecard-templates/{self.template.pk}/"
        body = {
            "name": "Account executive",
            "rubric": self.rubric.pk,
            "kpis": [{"metric": "deals_won", "weight": "3"}, {"metric": "win_rate"}],
        }
        response = client.put(url, body, format="json")
        self.assertEqual(response.status_code, 201, response.json())
        self.assertEqual(response.json()["version"], 2)
        self.assertEqual([v["version"] for v in response.json()["versions"]], [1, 2])
        response = client.put(url, body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("non_field_errors", response.json())
        self.assertEqual(ScorecardTemplate.objects.count(), 2)
        listed = client.get("/api/v1/scorecard-templates/").json()
        self.assertEqual([row["version"] for row in listed["results"]], [2])
        listed = client.get("/api/v1/scorecard-templates/?all=1").json()
        self.assertEqual(listed["count"], 2)

    def test_template_input_is_checked_field_by_field(self):
        client = self.client_for(self.manager)
        response = client.post(
            "/api/v1/scorecard-templates/",
            {
                "name": "SDR",
                "job_title": "Sales Development Rep",
                "rubric": 0,
                "kpis": [{"metric": "nope"}],
                "competency_weights": {"x": "1"},
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"rubric", "kpis", "competency_weights"})
        response = client.post(
            "/api/v1/scorecard-templates/",
            {
                "name": "SDR",
                "rubric": self.rubric.pk,
                "kpis": [{"metric": "deals_won", "weight": "-2"}],
            },
            format="json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("kpis", response.json())
