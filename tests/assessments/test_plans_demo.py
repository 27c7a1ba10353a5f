"""The demo's coaching plans and reviews: the patterns the demo promises are there."""

from __future__ import annotations

from django.test import TestCase

from followthrough.assessments import plans as logic
from followthrough.assessments.models import CoachingPlan, PlanStatus, Review, ReviewStatus
from followthrough.coaching.models import CommitmentStatus
from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.people.lines import today_for


class PlansReviewsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(reps=MIN_REPS, months=3)
        cls.today = today_for(cls.org)

    def test_one_finished_plan_with_a_visible_improvement(self):
        plan = CoachingPlan.objects.get(organisation=self.org, status=PlanStatus.REEVALUATED)
        self.assertEqual(plan.rep.name, "Tom de Jong")
        self.assertTrue(110 <= (self.today - plan.start).days <= 130)
        self.assertEqual(plan.reevaluation.template_id, plan.baseline.template_id)
        focus = [row for row in logic.compare(plan) if row.focus]
        self.assertEqual(len(focus), 2)
        self.assertTrue(all(row.change == logic.UP for row in focus))
        self.assertTrue(plan.outcome)
        statuses = sorted(plan.links.values_list("commitment__status", flat=True))
        self.assertEqual(
            statuses, [CommitmentStatus.DONE, CommitmentStatus.DONE, CommitmentStatus.MISSED]
        )

    def test_one_active_plan_with_commitments(self):
        plan = CoachingPlan.objects.get(organisation=self.org, status=PlanStatus.ACTIVE)
        self.assertEqual(plan.rep.name, "Ruben Rep")
        self.assertGreater(plan.reevaluate_on, self.today)
        self.assertEqual(plan.links.count(), 2)
        self.assertTrue(plan.focus_areas.exists())

    def test_last_quarters_reviews_shared_most_acknowledged_one_with_a_comment(self):
        reviews = list(Review.objects.filter(organisation=self.org).select_related("rep"))
        self.assertGreaterEqual(len(reviews), 3)
        self.assertEqual(len({r.period_start for r in reviews}), 1)
        self.assertTrue(all(r.period_end < self.today for r in reviews))
        self.assertTrue(all(r.status != ReviewStatus.DRAFT and r.record for r in reviews))
        acknowledged = [r for r in reviews if r.status == ReviewStatus.ACKNOWLEDGED]
        self.assertGreater(len(acknowledged), len(reviews) / 2)
        self.assertEqual([r.rep.name for r in reviews if r.rep_comment], ["Sara Visser"])
        self.assertTrue(all(r.record["ratings"] for r in reviews))
        tom = next(r for r in reviews if r.rep.name == "Tom de Jong")
        self.assertEqual(tom.record["plans"][0]["status"], PlanStatus.REEVALUATED)
