"""Closing freezes results as of the close; later data shows as corrected, never rewrites."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from followthrough.audit.models import AuditEntry
from followthrough.motivation.closing import NotAllowed, close_contest, corrections, frozen
from followthrough.motivation.models import Contest, ContestStatus, Format, Participation
from followthrough.motivation.tasks import close_ended_contests
from followthrough.recognition.models import BadgeAward
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, build_week, contest, won

LATER = SUNDAY + dt.timedelta(days=3)


@time_machine.travel(LATER.isoformat() + " 12:00", tick=False)
class ClosingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def test_closing_freezes_the_standings_as_of_the_last_day(self):
        week = contest(self)
        close_contest(week)
        week.refresh_from_db()
        self.assertEqual(week.status, ContestStatus.CLOSED)
        final = frozen(week)
        self.assertEqual(final.as_of, SUNDAY)
        self.assertEqual(final.entry_of(f"p{self.rep.pk}").value, Decimal(2))
        self.assertEqual({e.name for e in final.winners}, {"Rita", "Rob"})

    def test_a_late_fact_shows_as_a_correction_beside_the_frozen_figure(self):
        week = contest(self)
        close_contest(week)
        won(self, self.other_rep, MONDAY)  # imported after the close, dated in the week
        week.refresh_from_db()
        final = frozen(week)
        self.assertEqual(final.entry_of(f"p{self.other_rep.pk}").value, Decimal(1))
        found = corrections(week, final)
        self.assertEqual(set(found), {f"p{self.other_rep.pk}"})
        self.assertEqual(found[f"p{self.other_rep.pk}"].now, Decimal(2))

    def test_closing_early_freezes_as_of_today_and_a_closed_contest_stays_closed(self):
        week = contest(self)
        close_contest(week, today=TODAY)
        self.assertEqual(frozen(week).as_of, TODAY)
        with self.assertRaises(NotAllowed):
            close_contest(week)

    def test_the_close_is_in_the_audit_history(self):
        week = contest(self)
        close_contest(week)
        entries = AuditEntry.objects.filter(content_type__model="contest", object_id=str(week.pk))
        entry = entries.filter(action="update").latest("pk")
        self.assertEqual(entry.changes["status"], ["open", "closed"])
        self.assertNotIn("results", entry.changes)


def winner_badges(week: Contest) -> dict[str, dict]:
    awards = BadgeAward.objects.filter(badge__code="contest-winner", source=f"contest:{week.pk}")
    return {a.person.name: a.evidence for a in awards.select_related("person")}


@time_machine.travel(LATER.isoformat() + " 12:00", tick=False)
class RewardsAtTheCloseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def test_each_winner_gets_the_contest_winner_badge_once(self):
        week = contest(self)  # top 1: Rita and Rob tie with 2 wins each
        close_contest(week)
        found = winner_badges(week)
        self.assertEqual(set(found), {"Rita", "Rob"})
        self.assertEqual(found["Rita"]["rank"], 1)
        self.assertEqual(found["Rita"]["value"], "2")
        self.assertEqual(found["Rita"]["contest"], "Wins this week")
        self.assertFalse(found["Rita"]["team_quest"])
        award = BadgeAward.objects.get(person=self.rep, source=f"contest:{week.pk}")
        self.assertEqual(award.awarded_on, LATER)
        self.assertIsNone(award.granted_by)
        # The feed says what was won and links to the results.
        self.client.force_login(self.rep.user)
        page = self.client.get(f"/recognition/people/{self.rep.pk}/").content.decode()
        self.assertIn("Won “Wins this week” (place 1).", page)
        self.assertIn(f'href="/contests/{week.pk}/"', page)

    def test_a_met_team_quest_rewards_everyone_who_played_and_a_missed_one_nobody(self):
        met = contest(self, format=Format.TEAM_QUEST, target=4, eligible_team=self.team)
        missed = contest(self, format=Format.TEAM_QUEST, target=5, eligible_team=self.team)
        close_contest(met)
        close_contest(missed)
        found = winner_badges(met)
        self.assertEqual(set(found), {"Rita", "Rob"})
        self.assertTrue(found["Rob"]["team_quest"])
        self.assertEqual(winner_badges(missed), {})

    def test_a_winning_team_rewards_its_members(self):
        teams = contest(self, participation=Participation.TEAM, eligible_team=self.region)
        close_contest(teams)  # Alpha (Rita and Rob) 4 wins, Beta (Olga) 1
        found = winner_badges(teams)
        self.assertEqual(set(found), {"Rita", "Rob"})
        self.assertEqual(found["Rita"]["team"], "Alpha")
        self.assertEqual(found["Rita"]["value"], "4")


@time_machine.travel(LATER.isoformat() + " 12:00", tick=False)
class NightlyCloseTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def test_the_nightly_job_closes_ended_contests_after_a_days_grace(self):
        ended = contest(self)  # ended Sunday; today is Wednesday
        running = contest(self, end=LATER)
        just_ended = contest(self, end=LATER - dt.timedelta(days=1))
        close_ended_contests.call_local()
        statuses = {c.pk: c.status for c in Contest.objects.all()}
        self.assertEqual(statuses[ended.pk], ContestStatus.CLOSED)
        self.assertEqual(statuses[running.pk], ContestStatus.OPEN)
        self.assertEqual(statuses[just_ended.pk], ContestStatus.OPEN)
        self.assertEqual(frozen(Contest.objects.get(pk=ended.pk)).as_of, SUNDAY)
        entry = AuditEntry.objects.filter(content_type__model="contest", action="update").get()
        self.assertEqual(entry.actor_name, "nightly job")
        self.assertEqual(set(winner_badges(ended)), {"Rita", "Rob"})
