"""A team's total is the same for every viewer: people count for the days they were on it.

Rita (Alpha, Maya's team) moves to Beta (Otto's team) on 15 March 2026. In March she
won 1,000 on the 2nd and 3,000 on the 9th for Alpha, and 700 on the 20th for Beta;
Rob won 500 on the 3rd for Alpha; Olga won five deals of 10 for Beta. Looked at in
June: Alpha won 3 deals in March (Rita 2, Rob 1), Beta 6 (Olga 5, Rita 1), the region 9.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.urls import reverse

from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.metrics.export import BY_TEAM, export_rows
from followthrough.people.lines import move
from followthrough.scorecards.dashboard import build_dashboard
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal
from tests.scorecards.builders import MARCH, build_sales

D = Decimal
LATER = dt.date(2026, 6, 1)
YEAR = period_of(PeriodKind.YEAR, MARCH.start)
KEYS = ["deals_won", "revenue_won", "win_rate"]


@time_machine.travel(LATER.isoformat() + " 12:00", tick=False)
class TeamMembershipTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)
        deal(
            cls.org,
            cls.rep,
            created=dt.date(2026, 3, 1),
            closed=dt.date(2026, 3, 20),
            outcome="won",
            amount=700,
        )
        move(cls.rep, manager=cls.other_manager, team=cls.other_team, on=dt.date(2026, 3, 15))

    def total(self, viewer, team, period=MARCH):
        board = build_dashboard(viewer, team, KEYS, period, today=LATER)
        return [cell.value for cell in board.totals]

    def test_every_viewer_of_the_team_sees_the_same_march_total(self):
        # Alpha: 3 won (1,000 + 3,000 + 500) of 4 closed (Rita lost one on 10 March).
        alpha = [D(3), D(4500), D("0.75")]
        for viewer in (self.admin, self.leader, self.manager):
            with self.subTest(viewer=viewer.name):
                self.assertEqual(self.total(viewer, self.team), alpha)
        beta = [D(6), D(750), D(1)]
        for viewer in (self.admin, self.leader, self.other_manager):
            with self.subTest(viewer=viewer.name):
                self.assertEqual(self.total(viewer, self.other_team), beta)

    def test_the_region_counts_the_mover_once_for_the_whole_period(self):
        for viewer in (self.admin, self.leader):
            with self.subTest(viewer=viewer.name):
                self.assertEqual(self.total(viewer, self.region)[0], D(9))

    def test_a_year_spanning_the_move_splits_it_by_the_day_of_the_move(self):
        # Alpha 2026: Rita's January wins (2) and March's before the move (2), Rob's (1).
        for viewer in (self.admin, self.leader, self.manager):
            with self.subTest(viewer=viewer.name):
                self.assertEqual(self.total(viewer, self.team, YEAR)[0], D(5))
        self.assertEqual(self.total(self.other_manager, self.other_team, YEAR)[0], D(6))

    def test_the_engine_and_the_team_export_give_the_same_totals(self):
        results = engine.compute_teams(self.org, ["deals_won"], [MARCH])
        self.assertEqual(results.get(self.team.pk, "deals_won", MARCH).value, D(3))
        self.assertEqual(results.get(self.other_team.pk, "deals_won", MARCH).value, D(6))
        rows = export_rows(self.org, MARCH.start, MARCH.end, ["deals_won"], BY_TEAM)
        self.assertEqual(
            {row.who: row.value for row in rows}, {"Alpha": D(3), "Beta": D(6), "North": D(9)}
        )

    def test_the_team_drill_down_lists_the_records_behind_the_total(self):
        self.login(self.admin)
        url = reverse("team_records", args=[self.team.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2026-03-01")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["total"], 3)
        url = reverse("team_records", args=[self.other_team.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2026-03-01")
        self.assertEqual(response.context["total"], 6)

    def test_a_person_who_left_during_the_period_is_still_a_row(self):
        board = build_dashboard(self.admin, self.team, KEYS, MARCH, today=LATER)
        self.assertIn("Rita", [row.person.name for row in board.rows])

    def test_the_summed_team_target_is_the_same_for_every_viewer(self):
        # Rita 4 and Rob 4 ramped to 2 in March: 6, whoever looks (Rita is no longer Maya's).
        for viewer in (self.admin, self.leader, self.manager):
            with self.subTest(viewer=viewer.name):
                board = build_dashboard(viewer, self.team, KEYS, MARCH, today=LATER)
                self.assertEqual(board.totals[0].target, D(6))
