"""The hiring forecast's measures on small hand-built histories, and its query budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from followthrough.diagnostics import hiring
from followthrough.diagnostics.hiring_measured import measure
from followthrough.diagnostics.models import HiringAssumptions
from followthrough.goals.models import Goal
from followthrough.people.lines import move
from followthrough.people.models import ReportingLine, Role
from tests.cast import START, BaseTestCase, make_person
from tests.metrics.helpers import deal

TODAY = dt.date(2026, 12, 7)
# The trailing six complete months before December 2026.
SIX = [dt.date(2026, m, 15) for m in range(6, 12)]


def won(org, person, day, amount):
    deal(org, person, created=day - dt.timedelta(days=20), closed=day, outcome="won", amount=amount)


class HiringCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Rita wins 12k, Rob 6k, Olga 3k every month from June to November 2026.
        for day in SIX:
            won(cls.org, cls.rep, day, 12000)
            won(cls.org, cls.rep2, day, 6000)
            won(cls.org, cls.other_rep, day, 3000)
        # Lars was in Alpha until the end of June 2026, then left (deactivated).
        cls.leaver = make_person(cls.org, "Lars", Role.REP)
        move(cls.leaver, manager=cls.manager, team=cls.team, on=START)
        ReportingLine.objects.filter(person=cls.leaver).update(valid_to=dt.date(2026, 6, 30))
        cls.leaver.is_active = False
        cls.leaver.save()

    def measured(self, *teams, year=2027):
        return measure(self.org, list(teams), year, TODAY, "revenue_won")


class MeasureTests(HiringCase):
    def test_productivity_is_the_median_of_the_ramped_reps_mean_months(self):
        found = self.measured(self.team, self.region)
        # Alpha: Rita 12,000 and Rob 6,000 a month: median 9,000. North: 12k, 6k, 3k: 6,000.
        self.assertEqual(found[self.team.pk].productivity, D(9000))
        self.assertEqual(found[self.team.pk].productivity_reps, 2)
        self.assertEqual(found[self.region.pk].productivity, D(6000))
        self.assertEqual([p.name for p in found[self.team.pk].sellers], ["Rita", "Rob"])

    def test_attrition_is_leavers_over_the_average_headcount(self):
        found = self.measured(self.team, self.other_team)[self.team.pk]
        # Month starts December 2025 to November 2026 and today: 13 counts. Rita and Rob
        # every time (26), Lars on 1 December to 1 June (7): 33 / 13 = 2.54 on average;
        # one leaver: 100 × 1 / 2.538 = 39.4 %.
        self.assertEqual(found.leavers, 1)
        self.assertEqual(found.average_headcount, D("2.5"))
        self.assertEqual(found.attrition, D("39.4"))
        beta = self.measured(self.other_team)[self.other_team.pk]
        self.assertEqual((beta.leavers, beta.attrition), (0, D("0.0")))

    def test_a_move_between_sub_teams_is_no_loss_for_the_region(self):
        move(self.rep2, manager=self.other_manager, team=self.other_team, on=dt.date(2026, 9, 1))
        found = self.measured(self.team, self.region)
        self.assertEqual(found[self.team.pk].leavers, 2)  # Lars and Rob
        self.assertEqual(found[self.region.pk].leavers, 1)  # Lars only

    def test_last_year_sums_the_last_twelve_complete_months(self):
        found = self.measured(self.team)[self.team.pk]
        self.assertEqual(found.last_year, D(6 * 12000 + 6 * 6000))  # 108,000
        self.assertIsNone(found.goal_targets)

    def test_the_ramp_falls_back_to_the_organisations_ramp_for_new_hires(self):
        found = self.measured(self.team)[self.team.pk]
        self.assertEqual((found.ramp_months, found.ramp_from), (3, "goals"))  # 25/50/75 %

    def test_the_ramp_is_measured_from_the_months_of_recent_hires(self):
        # Two hires in Beta from June 2026. Olga, the one ramped rep, brings 3,000 a month.
        # Hires: June 0, July 1,500 (50 %), August on 3,000 (100 %): the first tenure month
        # at 80 % or more is the third, so they ramp in 2 months.
        for name in ("Hana", "Hugo"):
            hire = make_person(self.org, name, Role.REP)
            hire.role_since = dt.date(2026, 6, 1)
            hire.save()
            move(hire, manager=self.other_manager, team=self.other_team, on=hire.role_since)
            won(self.org, hire, dt.date(2026, 7, 15), 1500)
            for month in (8, 9, 10, 11):
                won(self.org, hire, dt.date(2026, month, 15), 3000)
        found = self.measured(self.other_team)[self.other_team.pk]
        self.assertEqual(found.productivity, D(3000))
        self.assertEqual((found.ramp_months, found.ramp_from, found.ramp_people), (2, "metrics", 2))

    def test_next_years_goals_are_the_target_when_every_month_has_one(self):
        Goal.objects.create(
            organisation=self.org,
            team=self.team,
            metric_key="revenue_won",
            period_kind="year",
            start=dt.date(2027, 1, 1),
            end=dt.date(2027, 12, 31),
            target=D(240000),
        )
        found = self.measured(self.team)[self.team.pk]
        self.assertEqual(len(found.goal_targets), 12)
        self.assertAlmostEqual(float(sum(found.goal_targets)), 240000, places=0)
        result = hiring.forecast(self.org, self.team, 2027, TODAY)
        target = result.assumption(hiring.Key.TARGET)
        self.assertEqual(target.source, hiring.Source.MEASURED)
        self.assertEqual(target.how.text, "The sum of the team's goals for 2027.")


class ForecastTests(HiringCase):
    def test_the_forecast_of_alpha_plans_on_last_year_plus_growth(self):
        result = hiring.forecast(self.org, self.team, 2027, TODAY)
        target = result.assumption(hiring.Key.TARGET)
        # 108,000 × 1.2 = 129,600 a year, 10,800 a month; two reps at 9,000 ramped = 18,000.
        self.assertEqual(target.used, D(129600))
        self.assertEqual(result.plan.months[0].target, D(10800))
        self.assertEqual(result.plan.hires, [])
        self.assertEqual(result.assumption(hiring.Key.RAMP).source, hiring.Source.DEFAULT)
        self.assertEqual(result.assumption(hiring.Key.ATTRITION).used, D("39.4"))

    def test_your_values_win_over_the_measured_ones(self):
        HiringAssumptions.objects.create(
            organisation=self.org,
            team=self.team,
            year=2027,
            annual_target=D(600000),
            attrition=D(0),
            ramp_months=1,
        )
        result = hiring.forecast(self.org, self.team, 2027, TODAY)
        self.assertEqual(result.assumption(hiring.Key.TARGET).source, hiring.Source.YOURS)
        self.assertEqual(result.assumption(hiring.Key.ATTRITION).used, D(0))
        # 50,000 a month against 2 × 9,000: 32,000 short in January: ceil(32,000 / 9,000) =
        # 4 hires, starting in February (a role opened in December, lead 2 months).
        self.assertEqual(
            [(h.start, h.count) for h in result.plan.hires], [(dt.date(2027, 2, 1), 4)]
        )

    def test_without_any_figure_the_forecast_says_what_is_missing(self):
        result = hiring.forecast(self.other_org, self.outsider_team, 2027, TODAY)
        self.assertIsNone(result.plan)
        self.assertEqual(len(result.missing), 2)

    def test_the_forecast_of_many_teams_takes_a_fixed_number_of_queries(self):
        hiring.forecast_teams(self.org, [self.team], 2027, TODAY)  # warm the metric catalogue
        with self.assertNumQueries(QUERIES):
            hiring.forecast_teams(self.org, [self.team], 2027, TODAY)
        with self.assertNumQueries(QUERIES):
            found = hiring.forecast_teams(
                self.org, [self.team, self.other_team, self.region], 2027, TODAY
            )
        self.assertEqual(len(found), 3)


# Saved assumptions, catalogue, teams and lines, people, the engine's months, team figures,
# last year's lines, time to ramp, goal settings and goals (hiring_measured.py's budget).
QUERIES = 18  # with the shared-credit probe of each of the two engine computations
