"""The rep scorecard: actual, target, attainment, pace, trend, baseline and team median."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.goals.attainment import PaceStatus
from followthrough.goals.models import Goal, GoalSettings
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.scorecards.scorecard import build_scorecard
from tests.cast import BaseTestCase
from tests.scorecards.builders import MARCH, TODAY, build_sales

D = Decimal


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class ScorecardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)

    def kpi(self, person, key, period=MARCH):
        card = build_scorecard(person, period, today=TODAY)
        return next(k for k in card.kpis if k.key == key)

    def test_actual_target_attainment_and_pace_are_computed_by_hand(self):
        kpi = self.kpi(self.rep, "deals_won")
        self.assertEqual(kpi.actual.value, D(2))
        self.assertEqual(kpi.target, D(4))
        self.assertEqual(kpi.attainment, D("0.5"))
        # Expected by 16 March: 4 × 16/31 = 64/31 ≈ 2.06; 2 is behind pace.
        self.assertEqual(kpi.pace.expected, D(64) / D(31))
        self.assertEqual(kpi.pace.status, PaceStatus.BEHIND)

    def test_the_baseline_is_the_mean_of_the_three_periods_before(self):
        # December 1, January 2, February 0: (1 + 2 + 0) / 3 = 1.
        self.assertEqual(self.kpi(self.rep, "deals_won").baseline, D(1))

    def test_the_team_median_is_over_the_people_in_the_same_role_in_the_team(self):
        # Rita 2, Rob 1 (Olga is in Beta, Maya is a manager): median 1.5.
        self.assertEqual(self.kpi(self.rep, "deals_won").team_median, D("1.5"))

    def test_a_new_hire_gets_the_ramped_target(self):
        # Rob started on 1 February: March is month 2 of tenure, 50 % of 4.
        kpi = self.kpi(self.rep2, "deals_won")
        self.assertEqual(kpi.target, D(2))
        self.assertEqual(kpi.attainment, D("0.5"))

    def test_the_trend_covers_twelve_periods_ending_with_this_one(self):
        trend = self.kpi(self.rep, "deals_won").trend
        self.assertEqual(len(trend), 12)
        self.assertEqual(trend[-1].period, MARCH)
        self.assertEqual(trend[0].period, period_of(PeriodKind.MONTH, TODAY.replace(2025, 4, 1)))
        self.assertEqual([p.value for p in trend[-4:]], [D(1), D(2), D(0), D(2)])
        self.assertEqual(trend[-1].target, D(4))
        self.assertIsNone(trend[-2].target)

    def test_revenue_and_win_rate_come_from_the_engine(self):
        self.assertEqual(self.kpi(self.rep, "revenue_won").actual.value, D(4000))
        # 2 won of 3 closed in March.
        self.assertEqual(self.kpi(self.rep, "win_rate").actual.value, D(2) / D(3))

    def test_a_quarter_target_is_built_from_monthly_goals(self):
        q1 = period_of(PeriodKind.QUARTER, TODAY)
        for month in (1, 2):
            period = period_of(PeriodKind.MONTH, TODAY.replace(month=month))
            Goal.objects.create(
                organisation=self.org,
                person=self.rep,
                metric_key="deals_won",
                period_kind=PeriodKind.MONTH,
                start=period.start,
                end=period.end,
                target=D(3),
            )
        kpi = self.kpi(self.rep, "deals_won", q1)
        self.assertEqual(kpi.actual.value, D(4))
        self.assertEqual(kpi.target, D(10))
        self.assertEqual(kpi.attainment, D("0.4"))
        card = build_scorecard(self.rep, q1, today=TODAY)
        self.assertEqual(card.elapsed, Fraction(31 + 28 + 16, 90))

    def test_the_organisation_chooses_the_metrics_and_goals_add_theirs(self):
        GoalSettings.objects.create(organisation=self.org, scorecard_metrics=["calls"])
        keys = [k.key for k in build_scorecard(self.rep, MARCH, today=TODAY).kpis]
        self.assertEqual(keys, ["calls", "deals_won"])

    def test_the_rep_sees_their_scorecard_on_their_landing_page(self):
        self.login(self.rep)
        response = self.client.get(reverse("me"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "scorecard-charts")
        url = reverse("person_records", args=[self.rep.pk, "deals_won"])
        self.assertContains(response, url)

    def test_the_manager_sees_the_same_numbers_as_the_rep(self):
        self.login(self.rep)
        mine = self.client.get(reverse("me") + "?kind=month&date=2026-03-01")
        self.login(self.manager)
        theirs = self.client.get(reverse("person_scorecard", args=[self.rep.pk]))
        self.assertEqual(theirs.status_code, 200)
        self.assertEqual(mine.context["card"].kpis, theirs.context["card"].kpis)

    def test_the_scorecard_costs_the_same_queries_for_one_metric_or_many(self):
        def count(keys, kind):
            GoalSettings.objects.update_or_create(
                organisation=self.org, defaults={"scorecard_metrics": keys}
            )
            self.login(self.rep)
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(reverse("me") + f"?kind={kind}")
            self.assertEqual(response.status_code, 200)
            return len(ctx.captured_queries)

        # Weeks are read from the facts, one query per source and date; months from the
        # rollups in one query. Neither grows with the number of metrics.
        for kind in ("month", "week"):
            few = count(["deals_won", "calls"], kind)
            many = count(["deals_won", "revenue_won", "win_rate", "calls", "avg_deal_size"], kind)
            self.assertEqual(few, many, kind)
