"""Milestone states and metric milestones against hand-computed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext

from followthrough.programs import enrolments, progress
from followthrough.programs.models import EnrolmentStatus, MilestoneCompletion
from followthrough.programs.progress import State, reached_on, state_of
from tests.metrics.helpers import activity, deal
from tests.programs.base import START, TODAY, ProgramTestCase

D = dt.date


class StatesTest(SimpleTestCase):
    def test_a_milestone_done_by_its_due_date_is_done(self):
        self.assertEqual(state_of(D(2026, 10, 31), D(2026, 10, 31), TODAY), State.DONE)

    def test_a_milestone_done_after_its_due_date_is_done_late(self):
        self.assertEqual(state_of(D(2026, 10, 31), D(2026, 11, 1), TODAY), State.DONE_LATE)

    def test_an_open_milestone_due_today_is_due_and_yesterday_late(self):
        self.assertEqual(state_of(TODAY, None, TODAY), State.DUE)
        self.assertEqual(state_of(TODAY - dt.timedelta(days=1), None, TODAY), State.LATE)

    def test_the_running_total_reaches_the_target_on_the_tenth_meeting(self):
        values = [(D(2026, 9, 30), Decimal(5))] + [(D(2026, 10, d), Decimal(1)) for d in (2, 3)]
        values += [(D(2026, 10, 9), Decimal(7)), (D(2026, 10, 20), Decimal(1))]
        # The meetings before the start do not count: 1 + 1 + 7 = 9, then the 10th on 20 Oct.
        self.assertEqual(reached_on(values, START, Decimal(10)), D(2026, 10, 20))
        self.assertIsNone(reached_on(values, START, Decimal(11)))

    def test_phases_group_by_30_60_90(self):
        self.assertEqual(
            [progress.phase_of(d) for d in (0, 30, 31, 60, 90, 91)], [30, 30, 60, 60, 90, 0]
        )


class MetricMilestonesTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enrolment = enrolments.enrol(
            person=cls.rep, program=cls.program, start=START, by=cls.manager
        )
        # Rita's first meetings: 2 before the start (not counted), then one on each of
        # 2, 5, 8, 12, 15, 19, 22, 26 October and two on 3 November: the 10th on 3 Nov
        # (day 33: the milestone was due on 31 October, so it is done late).
        held = {"outcome": "first_meeting_held", "type": "meeting"}
        for day in (D(2026, 9, 28), D(2026, 9, 29)):
            activity(cls.org, cls.rep, day, **held)
        for d in (2, 5, 8, 12, 15, 19, 22, 26):
            activity(cls.org, cls.rep, D(2026, 10, d), **held)
        activity(cls.org, cls.rep, D(2026, 11, 3), **held)
        activity(cls.org, cls.rep, D(2026, 11, 3), **held)
        # A call that is not a first meeting, and Rob's meetings, do not count for Rita.
        activity(cls.org, cls.rep, D(2026, 10, 3), type="call")
        for d in range(1, 12):
            activity(cls.org, cls.rep2, D(2026, 10, d), **held)
        # Her first deal won on 10 November (due on 30 November: done on time); a lost one before.
        deal(cls.org, cls.rep, created=D(2026, 10, 1), closed=D(2026, 10, 20), outcome="lost")
        deal(cls.org, cls.rep, created=D(2026, 10, 2), closed=D(2026, 11, 10), outcome="won")
        # Pipeline: 100,000 + 120,000 created, 30,000 more on 18 November reaches 250,000.
        deal(cls.org, cls.rep, created=D(2026, 10, 5), amount=100_000)
        deal(cls.org, cls.rep, created=D(2026, 10, 25), amount=120_000)
        deal(cls.org, cls.rep, created=D(2026, 11, 18), amount=30_000)

    def completions(self):
        return {
            c.milestone.metric_key: c.done_on
            for c in MilestoneCompletion.objects.filter(enrolment=self.enrolment).select_related(
                "milestone"
            )
        }

    def test_metric_milestones_complete_on_the_day_the_target_was_reached(self):
        made = progress.sync_metric_milestones(self.org, today=TODAY)
        self.assertEqual(len(made), 3)
        self.assertEqual(
            self.completions(),
            {
                "first_meetings_held": D(2026, 11, 3),
                "deals_won": D(2026, 11, 10),
                "pipeline_created": D(2026, 11, 18),
            },
        )

    def test_states_on_the_enrolment_page_day(self):
        progress.sync_metric_milestones(self.org, today=TODAY)
        state = progress.progress_of([self.enrolment], TODAY)[0]
        by_name = {s.milestone.metric_key or s.milestone.name: s.state for s in state.steps}
        self.assertEqual(by_name["first_meetings_held"], State.DONE_LATE)  # 3 Nov > 31 Oct
        self.assertEqual(by_name["deals_won"], State.DONE)  # 10 Nov <= 30 Nov
        self.assertEqual(by_name["pipeline_created"], State.DONE)  # 18 Nov <= 30 Dec
        self.assertEqual(by_name["CRM and tools training"], State.LATE)  # due 8 Oct, open
        self.assertEqual(by_name["Discovery call certification"], State.DUE)  # due 30 Nov
        self.assertEqual(state.done, 3)
        self.assertEqual(state.late, 4)  # three trainings and the product certification

    def test_before_the_target_is_reached_nothing_is_recorded(self):
        made = progress.sync_metric_milestones(self.org, today=D(2026, 11, 2))
        self.assertEqual([c.milestone.metric_key for c in made], [])
        made = progress.sync_metric_milestones(self.org, today=D(2026, 11, 3))
        self.assertEqual([c.milestone.metric_key for c in made], ["first_meetings_held"])

    def test_syncing_again_records_nothing_twice(self):
        progress.sync_metric_milestones(self.org, today=TODAY)
        self.assertEqual(progress.sync_metric_milestones(self.org, today=TODAY), [])
        self.assertEqual(MilestoneCompletion.objects.count(), 3)

    def test_a_later_start_counts_only_from_its_own_start(self):
        later = enrolments.enrol(
            person=self.rep2, program=self.program, start=D(2026, 10, 5), by=self.manager
        )
        progress.sync_metric_milestones(self.org, today=TODAY)
        # Rob held 11 first meetings from 1 to 11 October; from the 5th on only 7 count.
        self.assertFalse(
            MilestoneCompletion.objects.filter(
                enrolment=later, milestone=self.metrics["first_meetings_held"]
            ).exists()
        )

    def test_the_sync_reads_a_constant_number_of_queries(self):
        progress.sync_metric_milestones(self.org, today=D(2026, 10, 1))  # the catalog cached
        with CaptureQueriesContext(connection) as one:
            progress.sync_metric_milestones(self.org, today=D(2026, 10, 1))
        for person in (self.rep2, self.other_rep, self.manager):
            enrolments.enrol(person=person, program=self.program, start=START, by=self.leader)
        with CaptureQueriesContext(connection) as four:
            progress.sync_metric_milestones(self.org, today=D(2026, 10, 1))
        self.assertEqual(len(four), len(one))
        # The enrolments, their milestones, the completions, one grouped query per metric.
        reads = [q for q in four.captured_queries if q["sql"].startswith("SELECT")]
        self.assertLessEqual(len(reads), 3 + 1 + 3)

    def test_time_to_ramp_is_the_days_to_the_last_metric_milestone(self):
        enrolments.enrol(
            person=self.rep2, program=self.program, start=D(2026, 10, 5), by=self.manager
        )
        progress.sync_metric_milestones(self.org, today=TODAY)
        [cohort] = progress.time_to_ramp(self.org, today=TODAY)
        self.assertEqual(cohort.start, D(2026, 10, 1))
        ramps = {r.enrolment.person.name: (r.ramped_on, r.days) for r in cohort.people}
        # 1 October to 18 November: 48 days. Rob has not ramped: shown as such.
        self.assertEqual(ramps, {"Rita": (D(2026, 11, 18), 48), "Rob": (None, None)})
        self.assertEqual(cohort.median_days, 48)

    def test_the_enrolment_completes_with_its_last_milestone(self):
        progress.sync_metric_milestones(self.org, today=TODAY)
        for index, milestone in enumerate(self.trainings):
            enrolments.complete_training(
                self.enrolment,
                milestone,
                by=self.rep,
                evidence="Certificate",
                done_on=D(2026, 10, 5 + index),
                today=TODAY,
            )
        for milestone in self.certifications:
            enrolments.certify(
                self.enrolment,
                milestone,
                by=self.manager,
                ratings={c: ("meets", "") for c in self.competency_ids},
                today=TODAY,
            )
        self.enrolment.refresh_from_db()
        self.assertEqual(self.enrolment.status, EnrolmentStatus.COMPLETED)
        self.assertEqual(self.enrolment.completed_on, TODAY)
