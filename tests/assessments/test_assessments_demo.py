"""The demo's assessments: a quarter of them, two managers who rate differently, focus areas."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.test import TestCase

from followthrough.assessments import assessing, calibration
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    CoachingPlan,
    FocusArea,
    FocusStatus,
    Rating,
)
from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.people.models import Person, Role

TODAY = dt.date(2026, 11, 16)
LAST = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
CURRENT = dt.date(2026, 10, 1)
RANK = {"below": 0, "meets": 1, "exceeds": 2}


class DemoAssessmentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=MIN_REPS, months=3)

    def standing(self):
        return assessing.standing(Assessment.objects.filter(organisation=self.org))

    def test_every_account_executive_has_a_self_and_a_manager_assessment_last_quarter(self):
        last = self.standing().filter(cycle_start=LAST.start)
        kinds = Counter(last.values_list("kind", flat=True))
        # Everyone assessed by their manager wrote a self-assessment too (a coaching plan's
        # re-evaluation may add a second manager assessment in the same quarter).
        rated = set(last.filter(kind=AssessmentKind.MANAGER).values_list("rep", flat=True))
        selves = set(last.filter(kind=AssessmentKind.SELF).values_list("rep", flat=True))
        self.assertEqual(rated, selves)
        self.assertGreaterEqual(len(rated), 7)
        self.assertEqual(kinds[AssessmentKind.PEER], 1)
        peer = last.get(kind=AssessmentKind.PEER)
        self.assertEqual((peer.rep.name, peer.rater.name), ("Ruben Rep", "Sara Visser"))
        self.assertTrue(peer.anonymous)
        self.assertFalse(last.filter(kind=AssessmentKind.SELF, requested_by=None).exists())

    def test_observations_link_the_reps_own_activities_and_deals(self):
        observed = self.standing().filter(kind=AssessmentKind.OBSERVATION)
        self.assertGreaterEqual(observed.count(), 3)
        for a in observed.select_related("activity", "deal"):
            self.assertEqual(a.activity.owner_id, a.rep_id)
            self.assertEqual(a.deal_id, a.activity.deal_id)
            self.assertEqual(a.observed_on, a.activity.occurred_on)

    def test_otto_rates_generously_and_maya_in_line_with_win_rates(self):
        # The quarter's assessments, not a coaching plan's baseline or re-evaluation.
        plans = CoachingPlan.objects.filter(organisation=self.org)
        in_plans = {*plans.values_list("baseline", flat=True)}
        in_plans |= {*plans.values_list("reevaluation", flat=True)}
        ratings = Rating.objects.filter(
            assessment__in=self.standing()
            .filter(kind=AssessmentKind.MANAGER, cycle_start=LAST.start)
            .exclude(pk__in=in_plans)
        ).select_related("assessment__rater", "assessment__rep")
        exceeds = Counter()
        total = Counter()
        per_rep: dict[int, list[int]] = {}
        for r in ratings:
            name = r.assessment.rater.name
            total[name] += 1
            exceeds[name] += r.level == "exceeds"
            if name == "Maya Manager":
                per_rep.setdefault(r.assessment.rep_id, []).append(RANK[r.level])
        self.assertGreater(exceeds["Otto Keller"] / total["Otto Keller"], 0.7)
        self.assertLess(exceeds["Maya Manager"] / total["Maya Manager"], 0.5)
        rates = engine.compute(self.org, ["win_rate"], [LAST], list(per_rep))
        by_rate = sorted(per_rep, key=lambda pk: rates.get(pk, "win_rate", LAST).value or 0)
        mean = {pk: sum(v) / len(v) for pk, v in per_rep.items()}
        self.assertLessEqual(mean[by_rate[0]], mean[by_rate[-1]])

    def test_calibration_flags_the_generous_manager_and_not_the_other(self):
        leader = Person.objects.get(organisation=self.org, role=Role.LEADER)
        gathered, result = calibration.calibration_for(leader, LAST)
        flags = {
            p.name: row.flag
            for p in gathered.managers
            for row in result.overall
            if row.manager_id == p.pk
        }
        self.assertEqual(flags["Otto Keller"], calibration.ABOVE)
        self.assertEqual(flags["Maya Manager"], "")

    def test_this_quarter_has_begun_and_rubens_manager_assessment_is_left_to_write(self):
        current = Assessment.objects.filter(organisation=self.org, cycle_start=CURRENT)
        self.assertTrue(
            current.filter(kind=AssessmentKind.SELF, status=AssessmentStatus.DRAFT).exists()
        )
        self.assertTrue(
            current.filter(kind=AssessmentKind.MANAGER, status=AssessmentStatus.SUBMITTED).exists()
        )
        self.assertFalse(
            current.filter(rep__name="Ruben Rep", kind=AssessmentKind.MANAGER).exists()
        )

    def test_several_reps_work_on_two_or_three_focus_areas(self):
        counts = Counter(
            FocusArea.objects.filter(organisation=self.org, status=FocusStatus.ACTIVE).values_list(
                "rep__name", flat=True
            )
        )
        # Within the team's limit of three; Tom's finished plan achieved some of his.
        self.assertGreaterEqual(len(counts), 3)
        self.assertTrue(all(1 <= n <= 3 for n in counts.values()), counts)
        self.assertGreaterEqual(sum(n >= 2 for n in counts.values()), 3, counts)
        self.assertLess(counts["Ruben Rep"], 3)  # room left for the manager trying the demo
