"""Contest standings: one metric-engine computation, every format, ties and the scorecard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from followthrough.crm.credit import resolve_shares
from followthrough.crm.models import Deal
from followthrough.metrics import engine
from followthrough.motivation.models import Format, Participation
from followthrough.motivation.standings import standings
from followthrough.people.models import Role
from followthrough.scorecards.scorecard import build_scorecard
from tests.cast import BaseTestCase, make_person
from tests.motivation.builders import MONDAY, TODAY, build_week, contest, won

D = Decimal


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class StandingsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def by_name(self, result):
        return {e.name: e for e in result.entries}

    def test_a_contest_and_a_scorecard_never_disagree(self):
        result = standings(contest(self, format=Format.RANKING), TODAY)
        run = result.contest.period.__class__(MONDAY, TODAY)
        for person in (self.rep, self.rep2, self.other_rep):
            card = build_scorecard(person, run, today=TODAY)
            kpi = next(k for k in card.kpis if k.key == "deals_won")
            self.assertEqual(result.entry_of(f"p{person.pk}").value, kpi.actual.value)
        figures = engine.compute(self.org, ["revenue_won"], [run], [self.rep.pk])
        revenue = standings(contest(self, metric_key="revenue_won"), TODAY)
        self.assertEqual(
            revenue.entry_of(f"p{self.rep.pk}").value,
            figures.get(self.rep.pk, "revenue_won", run).value,
        )

    def test_ranking_ties_share_a_rank_and_all_win_at_the_cut(self):
        entries = self.by_name(standings(contest(self, top_n=1), TODAY))
        # Rita 2, Rob 2, Olga 1: 1, 1, 3 (standard competition ranking).
        self.assertEqual([entries[n].rank for n in ("Rita", "Rob", "Olga")], [1, 1, 3])
        self.assertTrue(entries["Rita"].wins and entries["Rob"].wins)
        self.assertFalse(entries["Olga"].wins)

    def test_nobody_wins_a_ranking_with_nothing(self):
        result = standings(contest(self, top_n=3), MONDAY - dt.timedelta(days=0))
        self.assertEqual(self.by_name(result)["Olga"].rank, 3)
        self.assertFalse(self.by_name(result)["Olga"].wins)

    def test_target_everyone_who_reaches_it_wins(self):
        entries = self.by_name(standings(contest(self, format=Format.TARGET, target=2), TODAY))
        self.assertTrue(entries["Rita"].wins and entries["Rob"].wins)
        self.assertFalse(entries["Olga"].wins)

    def test_race_the_first_to_cross_wins_by_the_day_they_crossed(self):
        result = standings(contest(self, format=Format.RACE, target=2, top_n=1), TODAY)
        entries = self.by_name(result)
        self.assertEqual(entries["Rita"].crossed_on, MONDAY + dt.timedelta(days=1))
        self.assertEqual(entries["Rob"].crossed_on, MONDAY + dt.timedelta(days=2))
        self.assertIsNone(entries["Olga"].crossed_on)
        self.assertEqual([e.name for e in result.winners], ["Rita"])
        self.assertEqual(entries["Rob"].rank, 2)

    def test_most_improved_compares_with_the_week_before(self):
        result = standings(contest(self, format=Format.MOST_IMPROVED, top_n=1), TODAY)
        entries = self.by_name(result)
        self.assertEqual(entries["Rita"].baseline, D(1))
        self.assertEqual(entries["Rita"].improvement, D(1))
        self.assertEqual(entries["Rob"].improvement, D(2))
        self.assertEqual([e.name for e in result.winners], ["Rob"])

    def test_a_pair_sold_deal_counts_each_owners_share_and_says_so(self):
        # Rita and Olga sell one deal together on Wednesday, 50/50 by the default rule.
        made = won(self, self.rep, MONDAY + dt.timedelta(days=2), 4000)
        made.co_owner = self.other_rep
        made.save(update_fields=["co_owner"])
        resolve_shares(self.org.pk, Deal.objects.filter(pk=made.pk))
        entries = self.by_name(standings(contest(self, metric_key="revenue_won"), TODAY))
        self.assertEqual(entries["Rita"].value, D(9000))  # 5000 + 2000 + half of 4000
        self.assertEqual(entries["Olga"].value, D(5000))  # 3000 + half of 4000
        self.assertEqual((entries["Rita"].shared, entries["Olga"].shared), (1, 1))
        self.assertEqual(entries["Rob"].shared, 0)
        teams = contest(self, participation=Participation.TEAM, eligible_team=self.region)
        self.assertEqual(self.by_name(standings(teams, TODAY))["Alpha"].shared, 1)
        self.client.force_login(self.admin.user)
        page = self.client.get(f"/contests/{teams.pk}/").content.decode()
        self.assertIn("Includes a share of 1 shared deal", page)
        board = self.client.get("/leaderboard/?metric=revenue_won&period=week&by=absolute&team=all")
        self.assertEqual(board.content.decode().count("Includes a share of 1 shared deal"), 2)

    def test_team_quest_adds_everyones_figures_to_one_shared_total(self):
        quest = contest(self, format=Format.TEAM_QUEST, target=5, eligible_team=self.team)
        result = standings(quest, TODAY)
        self.assertEqual(result.total, D(4))
        self.assertFalse(result.goal_met)
        self.assertEqual({e.name for e in result.entries}, {"Rita", "Rob"})
        quest.target = 4
        self.assertTrue(all(e.wins for e in standings(quest, TODAY).entries))

    def test_teams_play_with_their_members_summed(self):
        teams = contest(self, participation=Participation.TEAM, eligible_team=self.region)
        entries = self.by_name(standings(teams, TODAY))
        self.assertEqual(entries["Alpha"].value, D(4))
        self.assertEqual(entries["Alpha"].members, 2)
        self.assertEqual(entries["Beta"].value, D(1))

    def test_as_of_a_day_counts_only_the_days_up_to_it(self):
        entries = self.by_name(standings(contest(self), MONDAY))
        self.assertEqual(entries["Rita"].value, D(1))
        self.assertEqual(entries["Olga"].value, D(0))

    def test_eligibility_by_role_team_and_tenure(self):
        self.rep2.role_since = MONDAY - dt.timedelta(days=10)
        self.rep2.save()
        field = standings(contest(self, eligible_team=self.team, min_tenure_days=30), TODAY)
        self.assertEqual([e.name for e in field.entries], ["Rita"])
        managers = standings(contest(self, eligible_roles=["manager"]), TODAY)
        self.assertEqual({e.name for e in managers.entries}, {"Maya", "Otto"})

    def test_before_the_start_nobody_is_ranked(self):
        result = standings(contest(self), MONDAY - dt.timedelta(days=1))
        self.assertFalse(result.started)
        self.assertTrue(all(e.rank is None for e in result.entries))

    def test_the_query_count_does_not_grow_with_the_participants(self):
        race = contest(self, format=Format.RACE, target=2)
        standings(race, TODAY)  # warm the metric catalog cache
        # Field: people, lines, team names; engine: catalog stamp twice, days, the run, the
        # shared-credit probe.
        with self.assertNumQueries(8):
            standings(race, TODAY)
        for n in range(5):
            won(self, make_person(self.org, f"Extra{n}", Role.REP, login=False), MONDAY)
        with self.assertNumQueries(8):
            self.assertEqual(len(standings(race, TODAY).entries), 8)
