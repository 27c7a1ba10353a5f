"""The programs and enrolments API: the same rules as the pages, refusals as 400s."""

from __future__ import annotations

import time_machine

from followthrough.programs import enrolments
from followthrough.programs.models import Enrolment, MilestoneCompletion, Program
from tests.programs.base import NOW, START, ProgramTestCase

PROGRAMS = "/api/v1/programs/"
ENROLMENTS = "/api/v1/enrolments/"


@time_machine.travel(NOW, tick=False)
class ProgramApiTest(ProgramTestCase):
    def post(self, who, url, **data):
        self.login(who)
        return self.client.post(url, data, content_type="application/json")

    def test_everyone_in_the_organisation_lists_programs_with_milestones_in_due_order(self):
        self.login(self.rep)
        body = self.client.get(PROGRAMS).json()
        [program] = body["results"]
        self.assertEqual(program["id"], self.program.pk)
        self.assertTrue(program["url"].endswith(f"{PROGRAMS}{self.program.pk}/"))
        days = [m["due_day"] for m in program["milestones"]]
        self.assertEqual(days, sorted(days))
        self.login(self.outsider)
        self.assertEqual(self.client.get(PROGRAMS).json()["results"], [])
        self.assertEqual(self.client.get(f"{PROGRAMS}{self.program.pk}/").status_code, 404)

    def test_editors_create_programs_reps_may_not(self):
        data = {
            "name": "SDR onboarding",
            "milestones": [
                {
                    "name": "Tools",
                    "definition_of_done": "Logged in",
                    "kind": "training",
                    "due_day": 5,
                },
                {
                    "name": "50 calls",
                    "definition_of_done": "Made 50 calls",
                    "kind": "metric",
                    "due_day": 14,
                    "metric_key": "calls",
                    "target": "50",
                },
            ],
        }
        self.assertEqual(self.post(self.rep, PROGRAMS, **data).status_code, 403)
        response = self.post(self.manager, PROGRAMS, **data)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(len(response.json()["milestones"]), 2)

    def test_a_milestone_before_the_start_is_refused_and_nothing_is_saved(self):
        data = {
            "name": "Bad",
            "milestones": [
                {"name": "Early", "definition_of_done": "x", "kind": "training", "due_day": -1}
            ],
        }
        response = self.post(self.manager, PROGRAMS, **data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("milestones[0].due_day", response.json())
        self.assertFalse(Program.objects.filter(name="Bad").exists())
        response = self.post(
            self.manager,
            f"{PROGRAMS}{self.program.pk}/milestones/",
            name="Cert",
            definition_of_done="x",
            kind="certification",
            due_day=10,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("template", response.json())

    def test_an_editor_renames_a_program(self):
        self.login(self.leader)
        response = self.client.patch(
            f"{PROGRAMS}{self.program.pk}/", {"is_active": False}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.json()["is_active"])
        self.login(self.rep)
        response = self.client.patch(
            f"{PROGRAMS}{self.program.pk}/", {"name": "x"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)


@time_machine.travel(NOW, tick=False)
class EnrolmentApiTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enrolment = enrolments.enrol(
            person=cls.rep, program=cls.program, start=START, by=cls.manager
        )

    def post(self, who, url, **data):
        self.login(who)
        return self.client.post(url, data, content_type="application/json")

    def test_the_enrolment_carries_its_milestone_states(self):
        self.login(self.rep)
        [row] = self.client.get(ENROLMENTS).json()["results"]
        self.assertEqual(row["id"], self.enrolment.pk)
        states = {m["name"]: m["state"] for m in row["milestones"]}
        self.assertEqual(states["CRM and tools training"], "late")
        self.assertEqual(states["Discovery call certification"], "due")

    def test_lists_filter_and_refuse_a_bad_status(self):
        self.login(self.manager)
        self.assertEqual(
            len(self.client.get(ENROLMENTS, {"person": self.rep2.pk}).json()["results"]), 0
        )
        self.assertEqual(
            len(self.client.get(ENROLMENTS, {"status": "active"}).json()["results"]), 1
        )
        self.assertEqual(self.client.get(ENROLMENTS, {"status": "nope"}).status_code, 400)
        for who in (self.rep2, self.other_manager, self.outsider):
            self.login(who)
            self.assertEqual(self.client.get(ENROLMENTS).json()["results"], [])
            self.assertEqual(self.client.get(f"{ENROLMENTS}{self.enrolment.pk}/").status_code, 404)

    def test_enrolling_is_for_managers_of_the_person_and_only_once(self):
        data = {"person": self.rep2.pk, "program": self.program.pk}
        for who in (self.rep, self.other_manager):
            self.assertEqual(self.post(who, ENROLMENTS, **data).status_code, 403)
        response = self.post(self.manager, ENROLMENTS, **data)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["start"], self.rep2.role_since.isoformat())
        response = self.post(self.manager, ENROLMENTS, **data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("person", response.json())
        response = self.post(self.admin, ENROLMENTS, person=self.other_rep.pk, program=0)
        self.assertEqual(response.json(), {"program": ["No such program."]})

    def test_training_is_completed_with_evidence(self):
        url = f"{ENROLMENTS}{self.enrolment.pk}/complete/"
        training = self.trainings[0].pk
        self.assertEqual(
            self.post(self.rep2, url, milestone=training, evidence="x").status_code, 404
        )
        self.assertEqual(
            self.post(self.admin, url, milestone=training, evidence="x").status_code, 403
        )
        response = self.post(self.rep, url, milestone=self.certifications[0].pk, evidence="x")
        self.assertEqual(response.status_code, 400)
        response = self.post(
            self.rep, url, milestone=training, evidence="Certificate", done_on="2026-10-05"
        )
        self.assertEqual(response.status_code, 200, response.content)
        step = next(m for m in response.json()["milestones"] if m["milestone"] == training)
        self.assertEqual((step["state"], step["done_on"]), ("done", "2026-10-05"))

    def test_a_manager_certifies_through_the_api(self):
        url = f"{ENROLMENTS}{self.enrolment.pk}/certify/"
        ratings = [{"competency": c, "level": "meets"} for c in self.competency_ids]
        milestone = self.certifications[0].pk
        self.assertEqual(
            self.post(self.rep, url, milestone=milestone, ratings=ratings).status_code, 403
        )
        bad = [{**r, "level": "great"} for r in ratings]
        self.assertEqual(
            self.post(self.manager, url, milestone=milestone, ratings=bad).status_code, 400
        )
        response = self.post(self.manager, url, milestone=milestone, ratings=ratings)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(MilestoneCompletion.objects.filter(assessment__isnull=False).exists())
        self.assertEqual(Enrolment.objects.count(), 1)

    def test_the_list_reads_the_same_queries_for_one_enrolment_or_three(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.leader)
        self.client.get(ENROLMENTS)
        with CaptureQueriesContext(connection) as one:
            self.client.get(ENROLMENTS)
        for person in (self.rep2, self.other_rep):
            enrolments.enrol(person=person, program=self.program, start=START, by=self.leader)
        self.client.get(ENROLMENTS)
        with CaptureQueriesContext(connection) as three:
            body = self.client.get(ENROLMENTS).json()
        self.assertEqual(len(body["results"]), 3)
        self.assertEqual(len(three), len(one))

    def test_anonymous_callers_get_nothing(self):
        self.client.logout()
        for url in (ENROLMENTS, PROGRAMS, f"{ENROLMENTS}{self.enrolment.pk}/"):
            self.assertIn(self.client.get(url).status_code, (401, 403))
