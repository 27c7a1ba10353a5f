from __future__ import annotations

from django.core.exceptions import ValidationError

from followthrough.assessments import assessing, rights, versions
from followthrough.assessments.models import Assessment, AssessmentKind, AssessmentStatus
from followthrough.audit.models import AuditEntry
from tests.assessments.base import CYCLE, RubricTestCase


class AssessingTests(RubricTestCase):
    def start(self, kind=AssessmentKind.MANAGER, rater=None):
        return assessing.start(
            rep=self.rep,
            rater=rater or self.manager,
            kind=kind,
            template=self.template,
            cycle_start=CYCLE[0],
            cycle_end=CYCLE[1],
        )

    def test_the_starter_rubric_has_six_sales_steps_and_rapport(self):
        names = [c["name"] for c in self.template.competencies]
        self.assertEqual(len({c["section"] for c in self.template.competencies}), 6)
        self.assertIn("Building rapport on a sales call", names)
        self.assertEqual(self.template.level_keys, ["below", "meets", "exceeds"])

    def test_a_submitted_assessment_is_immutable(self):
        assessment = self.start()
        self.rate_all(assessment)
        assessing.submit(assessment)
        with self.assertRaises(ValidationError):
            assessing.rate(assessment, self.competency_ids[0], "exceeds")

    def test_it_refuses_a_level_outside_the_rubric(self):
        assessment = self.start()
        with self.assertRaises(ValidationError):
            assessing.rate(assessment, self.competency_ids[0], "stellar")

    def test_it_refuses_to_submit_with_competencies_unrated(self):
        assessment = self.start()
        assessing.rate(assessment, self.competency_ids[0], "meets")
        with self.assertRaises(ValidationError):
            assessing.submit(assessment)

    def test_a_manager_does_not_rate_themself_as_a_rep(self):
        with self.assertRaises(ValidationError):
            assessing.start(
                rep=self.manager,
                rater=self.manager,
                kind=AssessmentKind.MANAGER,
                template=self.template,
                cycle_start=CYCLE[0],
                cycle_end=CYCLE[1],
            )

    def test_a_correction_is_a_new_audited_version_and_the_old_one_is_kept(self):
        first = self.start()
        self.rate_all(first)
        assessing.submit(first)
        fresh = assessing.correct(first, "Mixed up two calls")
        assessing.rate(fresh, self.competency_ids[0], "exceeds", "Second call")
        assessing.submit(fresh)
        first.refresh_from_db()
        self.assertEqual(first.status, AssessmentStatus.SUPERSEDED)
        self.assertEqual(fresh.version, 2)
        self.assertEqual(first.ratings.get(competency_id=self.competency_ids[0]).level, "meets")
        self.assertEqual(fresh.ratings.get(competency_id=self.competency_ids[0]).level, "exceeds")
        self.assertTrue(AuditEntry.objects.filter(object_id=str(fresh.pk)).exists())

    def test_the_rep_sees_the_managers_assessment_only_after_their_self_assessment(self):
        own = self.start(AssessmentKind.SELF, rater=self.rep)
        managers = self.start()
        self.rate_all(managers)
        assessing.submit(managers)
        self.assertFalse(rights.can_view_assessment(self.rep, managers))
        self.rate_all(own)
        assessing.submit(own)
        self.assertTrue(rights.can_view_assessment(self.rep, managers))
        self.assertFalse(rights.can_view_assessment(self.rep2, managers))
        self.assertFalse(rights.can_view_assessment(self.other_manager, managers))
        self.assertTrue(rights.can_view_assessment(self.leader, managers))
        self.assertFalse(rights.can_view_assessment(self.outsider, managers))

    def test_a_new_template_version_leaves_past_assessments_as_they_were(self):
        assessment = self.start()
        competency = self.rubric.sections.first().competencies.first()
        competency.name = "Renamed"
        competency.save()
        newer = versions.publish(
            rubric=self.rubric, name="Account executive", family=self.template, by=self.admin
        )
        assessment.refresh_from_db()
        self.assertEqual(newer.version, 2)
        self.assertEqual(assessment.template.version, 1)
        self.assertNotIn("Renamed", [c["name"] for c in assessment.template.competencies])
        self.assertIn("Renamed", [c["name"] for c in newer.competencies])
        self.assertEqual(Assessment.objects.count(), 1)
