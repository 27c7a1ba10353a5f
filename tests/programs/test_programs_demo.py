"""The demo's programs: the 30/60/90 plan, two newcomers in it, the patterns pages show."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.demo.build import MIN_REPS, STARTED_DAYS_AGO, build_demo
from followthrough.programs import progress
from followthrough.programs.models import Enrolment, MilestoneCompletion, MilestoneKind, Program

TODAY = dt.date(2026, 6, 15)


class DemoProgramsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=MIN_REPS, months=3)
        cls.enrolments = list(
            Enrolment.objects.filter(organisation=cls.org).select_related("person", "program")
        )
        cls.progress = {
            p.enrolment.person.name: p for p in progress.progress_of(cls.enrolments, TODAY)
        }

    def test_the_starter_plan_holds_two_newcomers(self):
        program = Program.objects.get(organisation=self.org)
        self.assertTrue(program.starter)
        self.assertEqual(len(self.enrolments), 2)
        starts = sorted((TODAY - e.start).days for e in self.enrolments)
        self.assertEqual(starts, sorted(STARTED_DAYS_AGO.values()))  # from their first day
        self.assertEqual(
            {e.person.name for e in self.enrolments}, set(STARTED_DAYS_AGO)
        )  # the two new hires
        for enrolment in self.enrolments:
            self.assertIsNotNone(enrolment.enrolled_by)

    def test_training_due_so_far_is_checked_off_by_the_manager_with_evidence(self):
        for state in self.progress.values():
            for step in state.steps:
                if (
                    step.milestone.kind == MilestoneKind.TRAINING
                    and step.due < TODAY - dt.timedelta(days=3)
                ):
                    self.assertEqual(step.state, progress.State.DONE)
                    self.assertTrue(step.completion.evidence)
                    self.assertEqual(step.completion.signed_off_by, state.enrolment.enrolled_by)

    def test_one_certification_is_signed_off_with_an_assessment(self):
        signed = MilestoneCompletion.objects.filter(
            organisation=self.org, milestone__kind=MilestoneKind.CERTIFICATION
        )
        self.assertEqual(signed.count(), 1)
        self.assertEqual(signed.get().assessment.kind, "certification")

    def test_metric_milestones_completed_from_the_crm_data_and_the_states_vary(self):
        metric = MilestoneCompletion.objects.filter(
            organisation=self.org, milestone__kind=MilestoneKind.METRIC
        )
        self.assertTrue(metric.exists())
        self.assertEqual(progress.sync_metric_milestones(self.org, today=TODAY), [])  # all recorded
        states = {s.state for p in self.progress.values() for s in p.steps}
        self.assertTrue({progress.State.DONE, progress.State.DUE} <= states)

    def test_time_to_ramp_has_someone_ramped_or_waiting_per_cohort(self):
        cohorts = progress.time_to_ramp(self.org, today=TODAY)
        people = [r for c in cohorts for r in c.people]
        self.assertEqual(len(people), 2)
