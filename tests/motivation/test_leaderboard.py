"""Fair leaderboards: % of own target by default, top N public, ties shared, own row private."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from followthrough.goals.models import Goal, PeriodKindChoice, RampChoice
from followthrough.lib.periods import Period
from followthrough.motivation.leaderboard import RankBy, Tier, leaderboard
from followthrough.people.models import Role
from tests.cast import BaseTestCase, make_person
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, build_week, won

D = Decimal
WEEK = Period(MONDAY, SUNDAY, "week")


def weekly_goal(case, person, target):
    Goal.objects.create(
        organisation=case.org,
        person=person,
        metric_key="deals_won",
        period_kind=PeriodKindChoice.WEEK,
        start=MONDAY,
        end=SUNDAY,
        target=target,
        ramp=RampChoice.NONE,
    )


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class LeaderboardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)
        # Rita 2 of 4 (50 %), Rob 2 of 2 (100 %), Olga 1 of 1 (100 %).
        weekly_goal(cls, cls.rep, 4)
        weekly_goal(cls, cls.rep2, 2)
        weekly_goal(cls, cls.other_rep, 1)

    def board(self, **options):
        return leaderboard(self.org, "deals_won", WEEK, today=TODAY, **options)

    def ranks(self, board):
        return {r.name: r.rank for r in board.rows}

    def test_the_default_ranks_by_share_of_own_target_with_ties_shared(self):
        board = self.board()
        self.assertEqual(self.ranks(board), {"Rob": 1, "Olga": 1, "Rita": 3})
        self.assertTrue(board.has_ties)
        self.assertEqual(board.rows[-1].attainment, D("0.5"))

    def test_by_absolute_value_and_by_improvement(self):
        self.assertEqual(
            self.ranks(self.board(rank_by=RankBy.ABSOLUTE)), {"Rita": 1, "Rob": 1, "Olga": 3}
        )
        # Improvement over the week before: Rob +2, Rita +1, Olga +1.
        self.assertEqual(
            self.ranks(self.board(rank_by=RankBy.IMPROVEMENT)), {"Rob": 1, "Rita": 2, "Olga": 2}
        )

    def test_only_the_top_n_is_public_and_each_person_finds_their_own_row(self):
        board = self.board(top_n=1)
        self.assertEqual({r.name for r in board.public}, {"Rob", "Olga"})
        self.assertEqual(board.own(self.rep).rank, 3)
        self.assertIsNone(board.own(self.manager))

    def test_a_team_filter_keeps_the_team_and_people_without_a_target_are_not_ranked(self):
        board = self.board(team_id=self.team.pk)
        self.assertEqual(self.ranks(board), {"Rob": 1, "Rita": 2})
        newcomer = make_person(self.org, "Nia", Role.REP, login=False)
        won(self, newcomer, MONDAY)
        self.assertIsNone(self.ranks(self.board())["Nia"])

    def test_a_tier_keeps_new_hires_on_their_ramp_or_the_reps_past_it(self):
        # The default ramp has three months: March is Rob's month 2 if he started in February.
        self.rep2.role_since = dt.date(2026, 2, 20)
        self.rep2.save(update_fields=["role_since"])
        self.other_rep.role_since = dt.date(2025, 12, 1)  # month 4: past the ramp
        self.other_rep.save(update_fields=["role_since"])
        self.assertEqual(self.ranks(self.board(tier=Tier.NEW)), {"Rob": 1})
        self.assertEqual(self.ranks(self.board(tier=Tier.RAMPED)), {"Olga": 1, "Rita": 2})
        self.assertEqual(self.board(tier=Tier.NEW).tier, Tier.NEW)
        self.client.force_login(self.rep.user)
        page = self.client.get("/leaderboard/?period=week&team=all&tier=ramped").content.decode()
        self.assertIn('<option value="ramped" selected>', page)
        self.assertIn("Olga", page)
        self.assertNotIn("Rob", page)
        self.assertEqual(self.client.get("/leaderboard/?tier=<script>").status_code, 200)

    def test_the_query_count_does_not_grow_with_the_people(self):
        self.board()
        # Catalog stamp (twice), lines, people, team names, facts, the shared-credit probe,
        # goal settings, goals.
        with self.assertNumQueries(9):
            self.board()
        for n in range(4):
            weekly_goal(self, make_person(self.org, f"Extra{n}", Role.REP, login=False), 1)
        with self.assertNumQueries(9):
            self.assertEqual(len(self.board().rows), 7)
