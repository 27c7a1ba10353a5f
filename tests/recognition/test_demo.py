"""The demo's recognition: badges earned by rule, a month of kudos within budget, stories."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.test import TestCase

from followthrough.demo.build import build_demo, logins
from followthrough.people.models import Person
from followthrough.recognition.kudos import budget_of
from followthrough.recognition.models import BadgeAward, Kudos, Rule, Story
from followthrough.recognition.rules import award_rule_badges

TODAY = dt.date(2026, 11, 16)


class DemoRecognitionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=8, months=12)

    def test_badges_are_earned_by_rule_and_rerunning_adds_none(self):
        rules = set(
            BadgeAward.objects.filter(organisation=self.org).values_list("badge__rule", flat=True)
        )
        for rule in (Rule.FIRST_DEAL, Rule.RECORD_MONTH, Rule.MOST_IMPROVED):
            self.assertIn(rule, rules)
        self.assertEqual(award_rule_badges(self.org, TODAY, months=3).total, 0)

    def test_a_month_of_kudos_stays_within_everyones_budget(self):
        kudos = Kudos.objects.filter(organisation=self.org)
        self.assertGreaterEqual(kudos.count(), 10)
        first = min(kudos.values_list("created_at", flat=True)).date()
        self.assertGreaterEqual(first, TODAY - dt.timedelta(days=31))
        per_sender = kudos.values("sender").annotate(n=Count("pk")).values_list("n", flat=True)
        self.assertLessEqual(max(per_sender), 5)
        rep = Person.objects.get(organisation=self.org, email=logins()[0].email)
        self.assertGreater(budget_of(rep).left, 0)

    def test_there_are_win_and_loss_stories_and_a_managers_own(self):
        stories = Story.objects.filter(organisation=self.org)
        self.assertEqual(set(stories.values_list("outcome", flat=True)), {"won", "lost"})
        self.assertTrue(stories.filter(author__role="manager").exists())
        self.assertTrue(
            BadgeAward.objects.filter(organisation=self.org, granted_by__isnull=False).exists()
        )
