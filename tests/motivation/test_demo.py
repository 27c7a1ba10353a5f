"""The demo's games: this week's contest, a finished one frozen, a team quest, quests."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase

from followthrough.audit.models import AuditEntry
from followthrough.demo.build import build_demo
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.motivation.closing import frozen
from followthrough.motivation.models import Contest, ContestStatus, Format, Quest, QuestStatus
from followthrough.motivation.standings import standings
from followthrough.recognition.models import BadgeAward

TODAY = dt.date(2026, 11, 18)  # a Wednesday


@time_machine.travel(TODAY.isoformat() + " 15:00", tick=False)
class DemoContestTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=8, months=3)
        cls.contests = {c.format: c for c in Contest.objects.filter(organisation=cls.org)}

    def test_this_weeks_contest_runs_and_agrees_with_the_engine(self):
        week = self.contests[Format.RANKING]
        self.assertEqual(
            (week.start, week.status), (period_of(PeriodKind.WEEK, TODAY).start, ContestStatus.OPEN)
        )
        self.assertEqual(week.end - week.start, dt.timedelta(days=6))
        result = standings(week, TODAY)
        self.assertGreaterEqual(len(result.entries), 4)
        self.assertTrue(result.winners)
        run = result.contest.period.__class__(week.start, TODAY)
        ids = [e.person_id for e in result.entries]
        figures = engine.compute(self.org, ["activities"], [run], ids)
        for entry in result.entries:
            self.assertEqual(entry.value, figures.get(entry.person_id, "activities", run).value)
        created = AuditEntry.objects.filter(
            content_type__model="contest", object_id=str(week.pk), action="create"
        ).get()
        self.assertEqual(created.actor.person.name, "Maya Manager")

    def test_last_months_contest_is_closed_with_frozen_results(self):
        finished = self.contests[Format.MOST_IMPROVED]
        self.assertEqual(finished.status, ContestStatus.CLOSED)
        final = frozen(finished)
        self.assertEqual(final.as_of, finished.end)
        self.assertTrue(final.winners)
        rewarded = set(
            BadgeAward.objects.filter(
                badge__code="contest-winner", source=f"contest:{finished.pk}"
            ).values_list("person_id", flat=True)
        )
        self.assertEqual(rewarded, {e.person_id for e in final.winners})

    def test_a_team_quest_and_an_approved_and_a_waiting_quest(self):
        quest = self.contests[Format.TEAM_QUEST]
        self.assertGreater(quest.target, 0)
        statuses = sorted(
            Quest.objects.filter(organisation=self.org).values_list("status", flat=True)
        )
        self.assertEqual(statuses, [QuestStatus.APPROVED, QuestStatus.PROPOSED])
        approved = Quest.objects.get(organisation=self.org, status=QuestStatus.APPROVED)
        self.assertEqual(approved.decided_by.name, "Maya Manager")
