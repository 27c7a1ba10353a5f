"""Enrolling, checking training off, certifying: the rules, the refusals, the audit history."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from followthrough.assessments.models import Assessment, AssessmentKind, AssessmentStatus
from followthrough.audit.models import AuditEntry
from followthrough.programs import enrolments
from followthrough.programs.enrolments import PASS_RULE, passes, passing_index
from followthrough.programs.models import (
    Enrolment,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
    Program,
)
from tests.programs.base import START, TODAY, ProgramTestCase

LEVELS = [{"key": k, "label": k} for k in ("below", "meets", "exceeds")]


class PassRuleTest(ProgramTestCase):
    def test_the_rule_is_every_rating_at_least_the_middle_level(self):
        self.assertEqual(PASS_RULE, "every_rating_at_least_middle")
        self.assertEqual(passing_index(LEVELS), 1)
        self.assertTrue(passes(LEVELS, {1: "meets", 2: "exceeds"}, [1, 2]))
        self.assertFalse(passes(LEVELS, {1: "meets", 2: "below"}, [1, 2]))
        self.assertFalse(passes(LEVELS, {1: "meets"}, [1, 2]))  # unrated: not passed

    def test_with_four_levels_the_lower_middle_one_passes(self):
        four = [{"key": k, "label": k} for k in ("1", "2", "3", "4")]
        self.assertTrue(passes(four, {1: "2"}, [1]))
        self.assertFalse(passes(four, {1: "1"}, [1]))


class EnrolTest(ProgramTestCase):
    def enrol(self, person=None, start=START, program=None):
        return enrolments.enrol(
            person=person or self.rep, program=program or self.program, start=start, by=self.manager
        )

    def test_a_person_is_enrolled_once(self):
        self.enrol()
        with self.assertRaises(ValidationError) as refused:
            self.enrol(start=dt.date(2026, 11, 1))
        self.assertIn("already enrolled", str(refused.exception.message_dict["person"]))

    def test_an_empty_or_closed_program_is_refused(self):
        empty = Program.objects.create(organisation=self.org, name="Empty")
        with self.assertRaises(ValidationError) as refused:
            self.enrol(program=empty)
        self.assertIn("program", refused.exception.message_dict)
        self.program.is_active = False
        self.program.save()
        with self.assertRaises(ValidationError):
            self.enrol()

    def test_another_organisations_program_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            enrolments.enrol(person=self.outsider_rep, program=self.program, start=START, by=None)
        self.assertIn("program", refused.exception.message_dict)

    def test_a_milestone_cannot_be_due_before_the_start(self):
        milestone = Milestone(
            organisation=self.org,
            program=self.program,
            name="Before",
            definition_of_done="x",
            kind=MilestoneKind.TRAINING,
            due_day=-1,
        )
        with self.assertRaises(ValidationError) as refused:
            enrolments.save_milestone(milestone)
        self.assertIn("before the start", str(refused.exception.message_dict["due_day"]))

    def test_a_metric_milestone_needs_an_additive_metric_and_a_target(self):
        milestone = Milestone(
            organisation=self.org,
            program=self.program,
            name="Win rate",
            definition_of_done="x",
            kind=MilestoneKind.METRIC,
            due_day=30,
            metric_key="win_rate",
        )
        with self.assertRaises(ValidationError) as refused:
            enrolments.save_milestone(milestone)
        self.assertEqual(set(refused.exception.message_dict), {"metric_key", "target"})

    def test_a_certification_needs_a_template(self):
        milestone = Milestone(
            organisation=self.org,
            program=self.program,
            name="Cert",
            definition_of_done="x",
            kind=MilestoneKind.CERTIFICATION,
            due_day=30,
        )
        with self.assertRaises(ValidationError) as refused:
            enrolments.save_milestone(milestone)
        self.assertIn("template", refused.exception.message_dict)


class CompletingTest(ProgramTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.enrolment = enrolments.enrol(
            person=cls.rep, program=cls.program, start=START, by=cls.manager
        )

    def check_off(self, milestone=None, **changes):
        arguments = {
            "by": self.rep,
            "evidence": "Course certificate #42",
            "done_on": dt.date(2026, 10, 7),
            "today": TODAY,
            **changes,
        }
        return enrolments.complete_training(
            self.enrolment, milestone or self.trainings[0], **arguments
        )

    def test_training_is_checked_off_with_evidence(self):
        done = self.check_off()
        self.assertEqual(
            (done.done_on, done.evidence, done.signed_off_by),
            (dt.date(2026, 10, 7), "Course certificate #42", self.rep),
        )

    def test_training_without_evidence_before_the_start_or_in_the_future_is_refused(self):
        for changes, field in (
            ({"evidence": "  "}, "evidence"),
            ({"done_on": START - dt.timedelta(days=1)}, "done_on"),
            ({"done_on": TODAY + dt.timedelta(days=1)}, "done_on"),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError) as refused:
                self.check_off(**changes)
            self.assertIn(field, refused.exception.message_dict)
        self.assertFalse(MilestoneCompletion.objects.exists())

    def test_a_milestone_is_done_once_and_only_its_own_way(self):
        self.check_off()
        with self.assertRaises(ValidationError):
            self.check_off()
        with self.assertRaises(ValidationError):
            self.check_off(milestone=self.certifications[0])
        with self.assertRaises(ValidationError):
            self.check_off(milestone=self.metrics["deals_won"])

    def certify(self, level_of, milestone=None):
        return enrolments.certify(
            self.enrolment,
            milestone or self.certifications[0],
            by=self.manager,
            ratings={
                c: (level_of(i), "Seen in the demo") for i, c in enumerate(self.competency_ids)
            },
            today=TODAY,
            summary="Product demo",
        )

    def test_a_certification_passes_when_every_rating_meets_expectations(self):
        result = self.certify(lambda i: "exceeds" if i % 2 else "meets")
        self.assertTrue(result.passed)
        self.assertEqual(result.assessment.kind, AssessmentKind.CERTIFICATION)
        self.assertEqual(result.assessment.status, AssessmentStatus.SUBMITTED)
        self.assertEqual(result.completion.assessment, result.assessment)
        self.assertEqual(result.completion.done_on, TODAY)

    def test_one_rating_below_fails_and_keeps_the_assessment(self):
        result = self.certify(lambda i: "below" if i == 0 else "exceeds")
        self.assertFalse(result.passed)
        self.assertIsNone(result.completion)
        self.assertTrue(
            Assessment.objects.filter(pk=result.assessment.pk, status="submitted").exists()
        )
        self.assertFalse(MilestoneCompletion.objects.exists())
        # Certified again later, and passed.
        self.assertTrue(self.certify(lambda i: "meets").passed)

    def test_a_certification_with_a_competency_unrated_or_a_bad_level_is_refused_whole(self):
        with self.assertRaises(ValidationError):
            enrolments.certify(
                self.enrolment,
                self.certifications[0],
                by=self.manager,
                ratings={self.competency_ids[0]: ("meets", "")},
                today=TODAY,
            )
        with self.assertRaises(ValidationError):
            self.certify(lambda i: "brilliant")
        self.assertFalse(Assessment.objects.exists())

    def test_every_change_is_in_the_audit_history(self):
        self.check_off()
        self.certify(lambda i: "meets")
        types = ContentType.objects.get_for_models(Enrolment, MilestoneCompletion, Milestone)
        entries = AuditEntry.objects.filter(content_type__in=types.values())
        self.assertEqual(entries.filter(content_type=types[Enrolment]).count(), 1)
        self.assertEqual(entries.filter(content_type=types[MilestoneCompletion]).count(), 2)
        self.assertEqual(
            entries.filter(content_type=types[Milestone]).count(), len(self.milestones)
        )
