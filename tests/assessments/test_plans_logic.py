"""Coaching plans: dates, focus limit, re-evaluation on the same checklist, before and after."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

from followthrough.assessments import plans as logic
from followthrough.assessments.models import (
    AssessmentKind,
    AssessmentSettings,
    FocusArea,
    FocusStatus,
    PlanCommitment,
    PlanStatus,
)
from followthrough.coaching.models import Commitment
from followthrough.lib.periods import months_after
from tests.assessments.plans_helpers import PlanTestCase, assess


class PlanDatesTests(PlanTestCase):
    def test_it_refuses_a_reevaluation_sooner_than_three_months(self):
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(reevaluate_on=months_after(self.today, 2))
        self.assertIn("reevaluate_on", caught.exception.error_dict)

    def test_it_refuses_a_reevaluation_later_than_six_months(self):
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(reevaluate_on=months_after(self.today, 6) + dt.timedelta(days=1))
        self.assertIn("reevaluate_on", caught.exception.error_dict)

    def test_three_and_six_months_are_both_allowed(self):
        self.make_plan(reevaluate_on=months_after(self.today, 3))
        FocusArea.objects.all().delete()
        self.make_plan(reevaluate_on=months_after(self.today, 6))

    def test_it_refuses_a_draft_or_self_assessment_as_baseline(self):
        own = assess(self, self.rep, self.rep, {}, kind=AssessmentKind.SELF)
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(baseline=own)
        self.assertIn("baseline", caught.exception.error_dict)

    def test_only_a_manager_of_the_rep_starts_a_plan(self):
        for person in (self.rep, self.rep2, self.other_manager, self.admin):
            with self.assertRaises(PermissionDenied):
                self.make_plan(by=person)


class FocusTests(PlanTestCase):
    def test_new_focus_areas_come_from_the_baseline_with_their_metric(self):
        plan = self.make_plan()
        areas = list(plan.focus_areas.order_by("pk"))
        self.assertEqual([a.competency_id for a in areas], self.competency_ids[:2])
        snapshot = {c["id"]: c["metric"] for c in self.template.competencies}
        self.assertEqual(
            [a.metric_key for a in areas], [snapshot[i] for i in self.competency_ids[:2]]
        )
        self.assertTrue(all(a.assessment_id == self.baseline.pk for a in areas))

    def test_the_team_focus_limit_is_respected(self):
        AssessmentSettings.objects.create(organisation=self.org, team=self.team, focus_limit=2)
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(competency_ids=self.competency_ids[:3])
        self.assertIn("competencies", caught.exception.error_dict)
        self.assertFalse(FocusArea.objects.exists())

    def test_the_default_limit_is_three(self):
        with self.assertRaises(ValidationError):
            self.make_plan(competency_ids=self.competency_ids[:4])
        self.make_plan(competency_ids=self.competency_ids[:3])

    def test_existing_active_focus_areas_can_be_linked(self):
        area = FocusArea.objects.create(
            organisation=self.org,
            rep=self.rep,
            competency_id=self.competency_ids[3],
            assessment=self.baseline,
            picked_on=self.today,
        )
        plan = self.make_plan(focus_ids=[area.pk], competency_ids=[])
        area.refresh_from_db()
        self.assertEqual(area.plan_id, plan.pk)

    def test_a_plan_recorded_for_an_earlier_day_does_not_count_areas_picked_later(self):
        for cid in self.competency_ids[2:5]:  # the default limit of three, all open today
            FocusArea.objects.create(
                organisation=self.org,
                rep=self.rep,
                competency_id=cid,
                assessment=self.baseline,
                picked_on=self.today,
            )
        day = self.today - dt.timedelta(days=30)
        with self.assertRaises(ValidationError):
            self.make_plan()  # today the limit is reached
        plan = self.make_plan(
            start=day,
            reevaluate_on=months_after(day, 4),
            commitments=[logic.NewCommitment("Two discovery calls", day + dt.timedelta(days=7))],
            today=day,
        )
        self.assertEqual(
            sorted(plan.focus_areas.values_list("competency_id", flat=True)),
            sorted(self.competency_ids[:2]),
        )

    def test_the_plan_commitments_are_coaching_commitments(self):
        plan = self.make_plan()
        commitment = Commitment.objects.get(plan_link__plan=plan)
        self.assertEqual(commitment.owner, self.rep)
        self.assertEqual(commitment.created_by, self.manager)
        self.assertEqual(PlanCommitment.objects.count(), 1)

    def test_a_commitment_due_before_today_is_refused_and_nothing_is_kept(self):
        with self.assertRaises(ValidationError) as caught:
            self.make_plan(
                commitments=[logic.NewCommitment("Late", self.today - dt.timedelta(days=1))]
            )
        self.assertIn("due_on", caught.exception.error_dict)
        self.assertFalse(FocusArea.objects.exists())


class BeforeAfterTests(PlanTestCase):
    def test_reevaluation_uses_the_baselines_template_version(self):
        plan = self.make_plan()
        after = logic.reevaluate(plan, by=self.manager, today=self.today)
        self.assertEqual(after.template_id, self.baseline.template_id)
        self.assertEqual(after.kind, AssessmentKind.MANAGER)
        self.assertEqual(logic.reevaluate(plan, by=self.manager), after)  # started once

    def test_before_and_after_figures_competency_by_competency(self):
        plan = self.make_plan()
        self.reevaluate(plan)
        rows = {row.competency_id: row for row in logic.compare(plan)}
        first, second, third = self.competency_ids[:3]
        self.assertEqual(
            (rows[first].before, rows[first].after, rows[first].change), ("below", "meets", "up")
        )
        self.assertEqual(
            (rows[second].before, rows[second].after, rows[second].change),
            ("below", "exceeds", "up"),
        )
        self.assertEqual(
            (rows[third].before, rows[third].after, rows[third].change), ("meets", "below", "down")
        )
        self.assertEqual(rows[first].evidence_before, "Seen #0")
        self.assertEqual(rows[first].evidence_after, "Now #0")
        counts = logic.change_counts(list(rows.values()))
        self.assertEqual(counts, {"up": 2, "same": len(self.competency_ids) - 3, "down": 1})
        # Focus areas first.
        self.assertEqual([r.focus for r in logic.compare(plan)][:3], [True, True, False])

    def test_closing_needs_the_submitted_reevaluation_and_an_outcome(self):
        plan = self.make_plan()
        with self.assertRaises(ValidationError):
            logic.close_plan(plan, by=self.manager, outcome="Better")
        self.reevaluate(plan)
        with self.assertRaises(ValidationError) as caught:
            logic.close_plan(plan, by=self.manager, outcome=" ")
        self.assertIn("outcome", caught.exception.error_dict)
        logic.close_plan(plan, by=self.manager, outcome="Rapport and discovery both up.")
        plan.refresh_from_db()
        self.assertEqual(plan.status, PlanStatus.REEVALUATED)
        statuses = set(plan.focus_areas.values_list("status", flat=True))
        self.assertEqual(statuses, {FocusStatus.ACHIEVED})
        with self.assertRaises(ValidationError):
            logic.reevaluate(plan, by=self.manager)

    def test_the_metric_trend_is_one_set_based_computation(self):
        plan = self.make_plan(start=self.today - dt.timedelta(days=40), today=self.today)
        with self.assertNumQueries(
            7
        ):  # organisation, catalog (2), focus areas, catalog check, rollups, shared credit
            trends = logic.metric_trends(plan, self.today, "EUR")
        self.assertEqual(len(trends), len(logic.plan_metric_keys(plan)))
        self.assertEqual(len(trends[0].values), len(logic.plan_months(plan, self.today)))

    def test_the_chart_breaks_the_line_at_a_missing_month(self):
        from decimal import Decimal

        svg = logic.line_chart(
            (Decimal(1), Decimal(2), None, Decimal(3), Decimal(4)),
            ("a", "b", "c", "d", "e"),
            ("1", "2", "—", "3", "4"),
        )
        self.assertEqual(svg.count("<polyline"), 2)
        self.assertEqual(svg.count("<circle"), 4)
        self.assertIn("<title>e: 4</title>", svg)
