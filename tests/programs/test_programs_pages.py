"""The program pages: who may open and do what, bad input, and pinned query counts."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.people.lines import move
from followthrough.people.models import Role
from followthrough.programs import enrolments
from followthrough.programs.models import Enrolment, Milestone, MilestoneCompletion, Program
from tests.cast import make_person
from tests.metrics.helpers import activity
from tests.programs.base import NOW, START, ProgramTestCase


@time_machine.travel(NOW, tick=False)
class PagesTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enrolment = enrolments.enrol(
            person=cls.rep, program=cls.program, start=START, by=cls.manager
        )
        held = {"outcome": "first_meeting_held", "type": "meeting"}
        for day in range(2, 12):
            activity(cls.org, cls.rep, dt.date(2026, 10, day), **held)

    def get(self, who, name, *args, status=200):
        if who is not None:
            self.login(who)
        response = self.client.get(reverse(name, args=args))
        self.assertEqual(response.status_code, status, f"{who} {name}")
        return response

    def test_everyone_in_the_organisation_reads_programs_outsiders_do_not(self):
        for who in (self.rep, self.rep2, self.manager, self.leader, self.admin):
            self.get(who, "program_list")
            page = self.get(who, "program_detail", self.program.pk)
            self.assertContains(page, "First 10 first meetings held")
            self.assertContains(page, "First 30 days")
        self.get(self.outsider, "program_detail", self.program.pk, status=404)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("program_list")).status_code, 302)

    def test_only_managers_leaders_and_admins_edit_programs(self):
        milestone = self.milestones[0].pk
        for who in (self.rep, self.rep2):
            self.get(who, "program_new", status=403)
            self.get(who, "program_edit", self.program.pk, status=403)
            self.get(who, "milestone_edit", self.program.pk, milestone, status=403)
            self.assertEqual(self.client.post(reverse("program_from_starter")).status_code, 403)
        for who in (self.manager, self.leader, self.admin):
            self.get(who, "program_edit", self.program.pk)
            self.get(who, "milestone_new", self.program.pk)
        self.get(self.outsider, "program_edit", self.program.pk, status=404)

    def test_a_manager_creates_the_program_from_the_template(self):
        self.login(self.manager)
        response = self.client.post(reverse("program_from_starter"))
        program = Program.objects.exclude(pk=self.program.pk).get()
        self.assertRedirects(response, reverse("program_detail", args=[program.pk]))
        self.assertEqual(program.milestones.count(), len(self.milestones))

    def test_a_milestone_due_before_the_start_is_a_field_error(self):
        self.login(self.manager)
        url = reverse("milestone_new", args=[self.program.pk])
        data = {"name": "Early", "definition_of_done": "x", "kind": "training", "due_day": "-3"}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 400)
        self.assertIn("due_day", response.context["form"].errors)
        data.update(kind="metric", due_day="30", metric_key="win_rate")
        response = self.client.post(url, data)
        self.assertIn("metric_key", response.context["form"].errors)
        data.update(metric_key="deals_won", target="")
        response = self.client.post(url, data)
        self.assertIn("target", response.context["form"].errors)
        data.update(target="2")
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertTrue(Milestone.objects.filter(name="Early", target=2).exists())

    def test_enrolling_is_for_the_persons_managers(self):
        url = reverse("program_enrol", args=[self.program.pk])
        for who in (self.rep, self.rep2):
            self.get(who, "program_enrol", self.program.pk, status=403)
        self.login(self.other_manager)
        response = self.client.post(url, {"person": self.rep2.pk, "start": "2026-11-01"})
        self.assertEqual(response.status_code, 400)  # Rob is not theirs to enrol
        self.login(self.manager)
        response = self.client.post(url, {"person": self.rep2.pk, "start": "2026-11-01"})
        enrolment = Enrolment.objects.get(person=self.rep2)
        self.assertRedirects(response, reverse("enrolment_detail", args=[enrolment.pk]))
        response = self.client.post(url, {"person": self.rep.pk, "start": "2026-11-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("already enrolled", str(response.context["form"].errors["person"]))

    def test_the_enrolment_is_the_persons_and_their_lines(self):
        for who in (self.rep, self.manager, self.leader, self.admin):
            self.get(who, "enrolment_detail", self.enrolment.pk)
        for who in (self.rep2, self.other_manager, self.other_rep):
            self.get(who, "enrolment_detail", self.enrolment.pk, status=403)
        self.get(self.outsider, "enrolment_detail", self.enrolment.pk, status=404)

    def test_the_rep_sees_done_due_and_late_on_my_onboarding(self):
        page = self.get(self.rep, "my_onboarding")
        # The 10th first meeting was held on 11 October: done (due 31 October), recorded.
        self.assertTrue(MilestoneCompletion.objects.filter(done_on=dt.date(2026, 10, 11)).exists())
        content = page.content.decode()
        self.assertIn('class="pg-state pg-done"', content)
        self.assertIn('class="pg-state pg-late"', content)
        self.assertIn('class="pg-state pg-due"', content)
        self.assertNotContains(page, "Ramped targets apply")  # in the role since 2024
        self.rep.role_since = START
        self.rep.save()
        page = self.get(self.rep, "my_onboarding")  # November: month 2 of the ramp
        self.assertContains(page, "Ramped targets apply: this month 50% of the full target.")
        self.assertContains(self.get(self.rep2, "my_onboarding"), "not in an onboarding program")

    def test_training_is_checked_off_by_the_person_or_their_manager(self):
        training = self.trainings[0].pk
        args = (self.enrolment.pk, training)
        for who in (self.rep2, self.other_manager, self.admin):
            self.get(who, "enrolment_training", *args, status=403)
        self.login(self.rep)
        url = reverse("enrolment_training", args=args)
        response = self.client.post(url, {"evidence": "", "done_on": "2026-10-06"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("evidence", response.context["form"].errors)
        response = self.client.post(url, {"evidence": "Certificate", "done_on": "2026-09-06"})
        self.assertIn("done_on", response.context["form"].errors)
        response = self.client.post(url, {"evidence": "Certificate", "done_on": "2026-10-06"})
        self.assertRedirects(response, reverse("enrolment_detail", args=[self.enrolment.pk]))
        self.get(self.manager, "enrolment_training", *args, status=302)  # done: not twice

    def test_a_certification_is_signed_off_by_a_manager_only(self):
        args = (self.enrolment.pk, self.certifications[0].pk)
        for who in (self.rep, self.rep2, self.other_manager, self.admin):
            self.get(who, "enrolment_certify", *args, status=403)
        page = self.get(self.manager, "enrolment_certify", *args)
        self.assertContains(page, "Building rapport on a sales call")
        url = reverse("enrolment_certify", args=args)
        response = self.client.post(url, {"summary": "x"})
        self.assertEqual(response.status_code, 400)
        data = {f"level_{c}": "meets" for c in self.competency_ids}
        data[f"level_{self.competency_ids[0]}"] = "below"
        self.client.post(url, data)
        self.assertFalse(MilestoneCompletion.objects.filter(assessment__isnull=False).exists())
        data[f"level_{self.competency_ids[0]}"] = "exceeds"
        self.client.post(url, data)
        self.assertTrue(MilestoneCompletion.objects.filter(assessment__isnull=False).exists())

    def test_the_cohort_is_for_managers_and_reads_constant_queries(self):
        for who in (self.rep, self.rep2):
            self.get(who, "program_cohort", status=403)
        self.get(self.other_manager, "program_cohort")
        enrolments.enrol(person=self.rep2, program=self.program, start=START, by=self.manager)
        self.login(self.manager)
        self.client.get(reverse("program_cohort"))
        with CaptureQueriesContext(connection) as one:
            page = self.client.get(reverse("program_cohort"))
        self.assertContains(page, "Rob")
        self.assertNotContains(page, "Olga")
        for name in ("Nina", "Noah"):
            newcomer = make_person(self.org, name, Role.REP)
            move(newcomer, manager=self.manager, team=self.team, on=START)
            enrolments.enrol(person=newcomer, program=self.program, start=START, by=self.manager)
        self.client.get(reverse("program_cohort"))
        with CaptureQueriesContext(connection) as two:
            page = self.client.get(reverse("program_cohort"))
        self.assertContains(page, "Noah")
        self.assertEqual(len(two), len(one))
        self.assertLessEqual(len(one), 17)

    def test_time_to_ramp_is_for_leaders_and_admins(self):
        for who in (self.rep, self.rep2, self.manager, self.other_manager):
            self.get(who, "program_ramp", status=403)
        for who in (self.leader, self.admin):
            page = self.get(who, "program_ramp")
            self.assertContains(page, "Rita")
            self.assertContains(page, "Not ramped yet")


@time_machine.travel(NOW, tick=False)
class StarterTextsTest(ProgramTestCase):
    def test_a_starter_text_saved_unchanged_in_dutch_stays_translatable(self):
        from django.conf import settings

        self.login(self.manager)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        milestone = self.trainings[0]
        url = reverse("milestone_edit", args=[self.program.pk, milestone.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(form.initial["name"], "Training CRM en tools")
        data = {
            "name": form.initial["name"],
            "definition_of_done": form.initial["definition_of_done"],
            "kind": "training",
            "due_day": "10",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        milestone.refresh_from_db()
        self.assertEqual((milestone.name, milestone.due_day), ("CRM and tools training", 10))
        data["name"] = "Onze eigen CRM-training"
        self.client.post(url, data)
        milestone.refresh_from_db()
        self.assertEqual(milestone.name, "Onze eigen CRM-training")
