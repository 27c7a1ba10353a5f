"""Coaching plan pages and API: who reads, who writes, field-level errors, before and after."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from followthrough.assessments.models import CoachingPlan, PlanStatus
from followthrough.lib.periods import months_after
from tests.assessments.plans_helpers import PRIVATE, PlanTestCase


class PlanPageTests(PlanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.plan = cls.make_plan(cls)

    def test_who_reads_the_plan(self):
        url = reverse("plan", args=[self.plan.pk])
        for person, expected in (
            (self.rep, 200),
            (self.manager, 200),
            (self.leader, 200),
            (self.admin, 200),
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.other_rep, 403),
            (self.outsider, 404),
        ):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, expected, person.name)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_the_rep_never_sees_the_private_note(self):
        url = reverse("plan", args=[self.plan.pk])
        self.login(self.manager)
        self.assertContains(self.client.get(url), PRIVATE)
        self.login(self.rep)
        page = self.client.get(url)
        self.assertContains(page, self.plan.goal)
        self.assertNotContains(page, PRIVATE)

    def test_only_the_reps_managers_write(self):
        for name, method in (
            ("plan_edit", "get"),
            ("plan_close", "get"),
            ("plan_reevaluate", "post"),
            ("plan_commitment", "post"),
        ):
            url = reverse(name, args=[self.plan.pk])
            for person in (self.rep, self.rep2, self.other_manager, self.admin):
                self.login(person)
                self.assertEqual(
                    getattr(self.client, method)(url).status_code, 403, (name, person.name)
                )
            self.login(self.outsider)
            self.assertEqual(getattr(self.client, method)(url).status_code, 404)
        self.login(self.rep)
        self.assertEqual(
            self.client.get(reverse("plan_new") + f"?rep={self.rep.pk}").status_code, 403
        )
        self.login(self.other_manager)
        self.assertEqual(
            self.client.get(reverse("plan_new") + f"?rep={self.rep.pk}").status_code, 403
        )

    def test_the_list_shows_each_person_their_plans(self):
        self.login(self.rep)
        self.assertContains(self.client.get(reverse("plan_list")), self.plan.goal)
        self.login(self.rep2)
        self.assertNotContains(self.client.get(reverse("plan_list")), self.plan.goal)
        self.login(self.manager)
        with self.assertNumQueries(10):
            self.assertContains(self.client.get(reverse("plan_list")), self.plan.goal)


class PlanFormTests(PlanTestCase):
    def post_plan(self, **fields):
        data = {
            "rep": self.rep.pk,
            "baseline": self.baseline.pk,
            "goal": "Better discovery",
            "start": self.today.isoformat(),
            "reevaluate_on": months_after(self.today, 4).isoformat(),
            "competencies": [self.competency_ids[0]],
            "commitment_1": "Shadow two calls",
            "due_1": (self.today + dt.timedelta(days=14)).isoformat(),
        }
        data.update(fields)
        self.login(self.manager)
        return self.client.post(reverse("plan_new"), data)

    def test_a_manager_starts_a_plan(self):
        self.login(self.manager)
        self.assertEqual(
            self.client.get(reverse("plan_new") + f"?rep={self.rep.pk}").status_code, 200
        )
        response = self.post_plan()
        plan = CoachingPlan.objects.get()
        self.assertRedirects(response, reverse("plan", args=[plan.pk]))
        self.assertEqual(plan.links.count(), 1)

    def test_a_reevaluation_date_too_soon_is_an_error_on_the_field(self):
        response = self.post_plan(reevaluate_on=(self.today + dt.timedelta(days=20)).isoformat())
        self.assertEqual(response.status_code, 400)
        self.assertIn("reevaluate_on", response.context["form"].errors)
        self.assertFalse(CoachingPlan.objects.exists())

    def test_a_commitment_due_in_the_past_is_an_error_on_its_line(self):
        response = self.post_plan(due_1=(self.today - dt.timedelta(days=2)).isoformat())
        self.assertEqual(response.status_code, 400)
        self.assertIn("due_1", response.context["form"].errors)
        self.assertFalse(CoachingPlan.objects.exists())

    def test_garbage_gives_field_errors_not_a_500(self):
        response = self.post_plan(start="soon", baseline="x", competencies=["a"])
        self.assertEqual(response.status_code, 400)
        self.assertTrue(
            {"start", "baseline", "competencies"} <= set(response.context["form"].errors)
        )


class PlanFlowTests(PlanTestCase):
    def test_reevaluate_then_close_shows_before_and_after(self):
        plan = self.make_plan()
        self.login(self.manager)
        response = self.client.post(reverse("plan_reevaluate", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertIsNotNone(plan.reevaluation)
        # On to rating the re-evaluation, on the baseline's checklist.
        self.assertRedirects(
            response,
            reverse("assessment_rate", args=[plan.reevaluation.pk]),
            fetch_redirect_response=False,
        )
        self.reevaluate(plan)
        page = self.client.get(reverse("plan", args=[plan.pk]))
        self.assertContains(page, "2 better · ")
        self.assertContains(page, "1 lower")
        self.assertContains(page, "Exceeds expectations")
        response = self.client.post(reverse("plan_close", args=[plan.pk]), {"outcome": ""})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            reverse("plan_close", args=[plan.pk]), {"outcome": "Good progress"}
        )
        self.assertRedirects(response, reverse("plan", args=[plan.pk]))
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.REEVALUATED)


class PlanApiTests(PlanTestCase):
    def test_the_api_follows_the_same_rules(self):
        plan = self.make_plan()
        list_url = reverse("coaching-plan-list")
        detail = reverse("coaching-plan-detail", args=[plan.pk])
        for person, count, status in (
            (self.rep, 1, 200),
            (self.manager, 1, 200),
            (self.leader, 1, 200),
            (self.admin, 1, 200),
            (self.rep2, 0, 404),
            (self.other_manager, 0, 404),
            (self.outsider, 0, 404),
        ):
            self.login(person)
            body = self.client.get(list_url).json()
            self.assertEqual(body["count"] if "count" in body else len(body), count, person.name)
            self.assertEqual(self.client.get(detail).status_code, status, person.name)
        self.client.logout()
        self.assertIn(self.client.get(list_url).status_code, (401, 403))

    def test_create_reevaluate_and_close_through_the_api(self):
        self.login(self.manager)
        body = {
            "rep": self.rep.pk,
            "baseline": self.baseline.pk,
            "goal": "Close on the agreed date",
            "start": self.today.isoformat(),
            "reevaluate_on": (self.today + dt.timedelta(days=30)).isoformat(),
            "competencies": [self.competency_ids[0]],
        }
        response = self.client.post(
            reverse("coaching-plan-list"), body, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reevaluate_on", response.json())
        body["reevaluate_on"] = months_after(self.today, 3).isoformat()
        body["commitments"] = [{"text": "Ask for the order", "due_on": None}]
        response = self.client.post(
            reverse("coaching-plan-list"), body, content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("due_on", response.json())
        body["commitments"] = [
            {"text": "Ask for the order", "due_on": months_after(self.today, 1).isoformat()}
        ]
        response = self.client.post(
            reverse("coaching-plan-list"), body, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.login(self.rep)
        self.assertEqual(
            self.client.post(reverse("coaching-plan-reevaluate", args=[pk])).status_code, 403
        )
        self.login(self.manager)
        response = self.client.post(
            reverse("coaching-plan-close", args=[pk]),
            {"outcome": "x"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(reverse("coaching-plan-reevaluate", args=[pk]))
        self.assertEqual(response.status_code, 200)
        plan = CoachingPlan.objects.get(pk=pk)
        self.assertEqual(response.json()["reevaluation"], plan.reevaluation_id)
        self.reevaluate(plan)
        response = self.client.post(
            reverse("coaching-plan-close", args=[pk]),
            {"outcome": "Done"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        changes = {row["competency"]: row["change"] for row in response.json()["before_after"]}
        self.assertEqual(changes[self.competency_ids[0]], "up")
        self.assertEqual(response.json()["status"], "reevaluated")

    def test_a_rep_cannot_start_a_plan_through_the_api(self):
        self.login(self.rep)
        response = self.client.post(
            reverse("coaching-plan-list"),
            {
                "rep": self.rep.pk,
                "baseline": self.baseline.pk,
                "goal": "x",
                "start": "2026-01-01",
                "reevaluate_on": "2026-05-01",
            },
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("rep", response.json())
