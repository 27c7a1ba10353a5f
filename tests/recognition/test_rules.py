"""Badges by rule: first deal, record month, most improved, streak, certification.

Figures come from the metric engine; a run costs the same queries however many people,
and a second run awards nothing twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followthrough.goals.models import Goal
from followthrough.people.lines import move
from followthrough.people.models import Role
from followthrough.programs.models import (
    Enrolment,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
    Program,
)
from followthrough.recognition.models import BadgeAward, Rule
from followthrough.recognition.rules import award_rule_badges
from tests.cast import BaseTestCase, make_person
from tests.metrics.helpers import deal

TODAY = dt.date(2026, 3, 10)


def won(org, owner, day: dt.date, amount=1000):
    return deal(
        org, owner, created=day - dt.timedelta(days=30), closed=day, outcome="won", amount=amount
    )


class RuleTests(BaseTestCase):
    def awarded(self, rule: str) -> dict[str, list[str]]:
        rows = BadgeAward.objects.filter(badge__rule=rule).order_by("person__name", "occasion")
        found: dict[str, list[str]] = {}
        for row in rows.select_related("person"):
            found.setdefault(row.person.name, []).append(row.occasion)
        return found

    def months_of_sales(self) -> None:
        for month in (10, 11, 12):
            won(self.org, self.rep, dt.date(2025, month, 15))
        for month in (11, 12):
            won(self.org, self.rep2, dt.date(2025, month, 15))
        won(self.org, self.rep, dt.date(2026, 1, 15))
        won(self.org, self.rep2, dt.date(2026, 1, 15))
        for day in (3, 10, 17):
            won(self.org, self.rep, dt.date(2026, 2, day))
        won(self.org, self.rep2, dt.date(2026, 2, 20), amount=1500)

    def test_first_deal_is_awarded_once_on_the_day_it_was_won(self):
        won(self.org, self.rep, dt.date(2026, 2, 3))
        won(self.org, self.rep, dt.date(2026, 2, 9))
        award_rule_badges(self.org, TODAY)
        row = BadgeAward.objects.get(badge__rule=Rule.FIRST_DEAL)
        self.assertEqual((row.person, row.awarded_on), (self.rep, dt.date(2026, 2, 3)))
        self.assertEqual(row.source, "rule:first_deal")

    def test_a_record_month_beats_every_earlier_month_of_the_reps_own_history(self):
        self.months_of_sales()
        run = award_rule_badges(self.org, TODAY)
        # Rita: 3 deals in February against 1 a month; Rob: 1,500 against 1,000.
        self.assertEqual(self.awarded(Rule.RECORD_MONTH), {"Rita": ["2026-02"], "Rob": ["2026-02"]})
        rita = BadgeAward.objects.get(badge__rule=Rule.RECORD_MONTH, person=self.rep)
        self.assertEqual(rita.evidence["deals_won"], {"value": "3", "previous_best": "1"})
        self.assertNotIn(
            "deals_won",
            BadgeAward.objects.get(badge__rule=Rule.RECORD_MONTH, person=self.rep2).evidence,
        )
        self.assertEqual(run.awarded["record_month"], 2)

    def test_too_short_a_history_makes_no_record(self):
        won(self.org, self.rep, dt.date(2026, 1, 15))
        won(self.org, self.rep, dt.date(2026, 2, 15), amount=5000)
        self.rep.role_since = dt.date(2025, 12, 1)
        self.rep.save()
        award_rule_badges(self.org, TODAY)
        self.assertEqual(self.awarded(Rule.RECORD_MONTH), {})

    def test_most_improved_is_the_biggest_rise_over_ones_baseline_in_the_team(self):
        self.months_of_sales()
        award_rule_badges(self.org, TODAY)
        self.assertEqual(self.awarded(Rule.MOST_IMPROVED), {"Rita": ["2026-02"]})
        evidence = BadgeAward.objects.get(badge__rule=Rule.MOST_IMPROVED).evidence
        self.assertEqual(evidence["gain_percent"], "200.0")
        self.assertEqual(evidence["team"], self.team.pk)

    def test_a_streak_of_weeks_on_pace_is_awarded_once_when_it_reaches_its_length(self):
        Goal.objects.create(
            organisation=self.org,
            person=self.rep2,
            metric_key="deals_won",
            target=Decimal(12),
            period_kind="quarter",
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 3, 31),
        )
        # One deal a week (12 a quarter is 0.93 a week) from 5 January, five weeks.
        for week in range(5):
            won(self.org, self.rep2, dt.date(2026, 1, 6) + dt.timedelta(weeks=week))
        award_rule_badges(self.org, TODAY)
        self.assertEqual(self.awarded(Rule.STREAK), {"Rob": ["2026-W05"]})
        row = BadgeAward.objects.get(badge__rule=Rule.STREAK)
        self.assertEqual(row.evidence, {"weeks": 4, "from": "2026-W02", "to": "2026-W05"})
        award_rule_badges(self.org, TODAY + dt.timedelta(days=7))
        self.assertEqual(BadgeAward.objects.filter(badge__rule=Rule.STREAK).count(), 1)

    def test_a_certification_passed_earns_a_badge(self):
        program = Program.objects.create(organisation=self.org, name="30/60/90")
        milestone = Milestone.objects.create(
            organisation=self.org,
            program=program,
            name="Demo certification",
            kind=MilestoneKind.CERTIFICATION,
            due_day=30,
        )
        enrolment = Enrolment.objects.create(
            organisation=self.org, person=self.rep, program=program, start=dt.date(2026, 1, 5)
        )
        MilestoneCompletion.objects.create(
            organisation=self.org,
            enrolment=enrolment,
            milestone=milestone,
            done_on=dt.date(2026, 2, 2),
        )
        award_rule_badges(self.org, TODAY)
        row = BadgeAward.objects.get(badge__rule=Rule.CERTIFIED)
        self.assertEqual((row.person, row.awarded_on), (self.rep, dt.date(2026, 2, 2)))
        self.assertEqual(row.evidence["milestone"], "Demo certification")

    def test_running_twice_awards_nothing_twice(self):
        self.months_of_sales()
        first = award_rule_badges(self.org, TODAY)
        count = BadgeAward.objects.count()
        second = award_rule_badges(self.org, TODAY)
        self.assertGreater(first.total, 0)
        self.assertEqual(second.total, 0)
        self.assertEqual(BadgeAward.objects.count(), count)

    def test_the_query_count_does_not_grow_with_the_number_of_people(self):
        self.months_of_sales()
        with CaptureQueriesContext(connection) as few:
            award_rule_badges(self.org, TODAY)
        BadgeAward.objects.all().delete()
        for n in range(4):
            person = make_person(self.org, f"Extra{n}", Role.REP, login=False)
            move(person, manager=self.manager, team=self.team, on=dt.date(2024, 1, 1))
            won(self.org, person, dt.date(2026, 2, 3))
        with CaptureQueriesContext(connection) as many:
            award_rule_badges(self.org, TODAY)
        self.assertEqual(len(few), len(many))
        self.assertLessEqual(len(many), 20)


class NightlyTests(BaseTestCase):
    def test_the_nightly_job_awards_each_organisation_once(self):
        from followthrough.recognition import tasks

        won(self.org, self.rep, dt.date(2025, 6, 2))
        tasks.nightly_badges.call_local()
        tasks.nightly_badges.call_local()
        self.assertEqual(BadgeAward.objects.filter(badge__rule=Rule.FIRST_DEAL).count(), 1)
