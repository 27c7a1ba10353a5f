"""The team dashboard: people × metrics, totals, team targets, sorting, pace and query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from followthrough.goals.attainment import PaceStatus
from followthrough.goals.models import Goal
from followthrough.lib.periods import PeriodKind
from followthrough.people.lines import move
from followthrough.people.models import Role
from followthrough.scorecards.dashboard import build_dashboard
from tests.cast import START, BaseTestCase, make_person
from tests.metrics.helpers import deal
from tests.scorecards.builders import MARCH, TODAY, build_sales

D = Decimal
KEYS = ["deals_won", "revenue_won", "win_rate"]


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class DashboardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)

    def board(self, viewer=None, team=None, **kwargs):
        viewer, team = viewer or self.manager, team or self.team
        return build_dashboard(viewer, team, KEYS, MARCH, today=TODAY, **kwargs)

    def test_each_person_has_their_figures_target_and_attainment(self):
        board = self.board()
        self.assertEqual([row.person.name for row in board.rows], ["Rita", "Rob"])
        rita, rob = board.rows
        self.assertEqual([c.value for c in rita.cells], [D(2), D(4000), D(2) / D(3)])
        self.assertEqual(rita.cells[0].attainment, D("0.5"))
        self.assertEqual(rob.cells[0].target, D(2))
        self.assertEqual(rob.cells[0].attainment, D("0.5"))

    def test_team_totals_sum_figures_and_divide_summed_parts_for_rates(self):
        totals = self.board().totals
        self.assertEqual(totals[0].value, D(3))
        self.assertEqual(totals[1].value, D(4500))
        # 3 won of 4 closed, not the mean of 2/3 and 1/1.
        self.assertEqual(totals[2].value, D("0.75"))

    def test_the_team_target_is_summed_from_members_when_the_team_has_none(self):
        total = self.board().totals[0]
        self.assertEqual(total.target, D(6))
        self.assertTrue(total.rolled_up)
        self.assertEqual(total.attainment, D("0.5"))

    def test_a_team_target_that_is_set_wins_over_the_sum(self):
        Goal.objects.create(
            organisation=self.org,
            team=self.team,
            metric_key="deals_won",
            period_kind=PeriodKind.MONTH,
            start=MARCH.start,
            end=MARCH.end,
            target=D(10),
        )
        total = self.board().totals[0]
        self.assertEqual(
            (total.target, total.rolled_up, total.attainment), (D(10), False, D("0.3"))
        )

    def test_behind_pace_lists_who_is_behind_on_what(self):
        # Rita 2 of an expected 64/31 ≈ 2.06: behind. Rob 1 of 32/31 ≈ 1.03: behind.
        behind = [(p.name, c.metric.key, c.pace.status) for p, c in self.board().behind]
        self.assertEqual(
            behind,
            [("Rita", "deals_won", PaceStatus.BEHIND), ("Rob", "deals_won", PaceStatus.BEHIND)],
        )

    def test_a_leader_sees_the_region_with_its_teams(self):
        board = build_dashboard(self.leader, self.region, KEYS, MARCH, today=TODAY)
        names = [row.person.name for row in board.rows]
        self.assertEqual(names, ["Maya", "Olga", "Otto", "Rita", "Rob"])
        self.assertEqual(board.totals[0].value, D(8))

    def test_columns_sort_by_value_with_empty_figures_last(self):
        board = self.board(sort="revenue_won", descending=True)
        self.assertEqual([r.person.name for r in board.rows], ["Rita", "Rob"])
        board = self.board(sort="revenue_won", descending=False)
        self.assertEqual([r.person.name for r in board.rows], ["Rob", "Rita"])
        board = self.board(sort="name", descending=True)
        self.assertEqual([r.person.name for r in board.rows], ["Rob", "Rita"])

    def test_the_page_shows_figures_pace_in_words_and_links_to_records(self):
        self.login(self.manager)
        url = reverse("team_dashboard", args=[self.team.pk])
        response = self.client.get(url + "?kind=month&date=2026-03-01&metric=deals_won")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Behind pace")
        self.assertContains(response, "50 % of target")
        self.assertContains(response, reverse("person_records", args=[self.rep.pk, "deals_won"]))
        self.assertContains(response, reverse("team_records", args=[self.team.pk, "deals_won"]))

    def test_the_dashboard_costs_the_same_queries_for_3_and_30_people(self):
        def count():
            self.login(self.manager)
            url = reverse("team_dashboard", args=[self.team.pk])
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url + "?metric=deals_won&metric=win_rate&metric=calls")
            self.assertEqual(response.status_code, 200)
            return len(ctx.captured_queries), len(response.context["board"].rows)

        small, people = count()
        self.assertEqual(people, 2)
        for i in range(28):
            rep = make_person(self.org, f"Extra{i:02d}", Role.REP, login=False)
            move(rep, manager=self.manager, team=self.team, on=START)
            deal(self.org, rep, closed=MARCH.start, outcome="won", amount=1)
        large, people = count()
        self.assertEqual(people, 30)
        self.assertEqual(small, large)

    def export(self, fmt, name="Rita"):
        self.rep.name = name
        self.rep.save()
        self.login(self.manager)
        url = reverse("team_export", args=[self.team.pk, fmt])
        response = self.client.get(url + "?kind=month&date=2026-03-01&metric=deals_won")
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_csv_export_has_figures_targets_and_the_team_total(self):
        body = self.export("csv").content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        self.assertEqual(
            rows[0], ["Person", "Deals won", "Deals won target", "Deals won attainment"]
        )
        self.assertEqual(rows[1], ["Rita", "2", "4", "0.5"])
        self.assertEqual(rows[2], ["Rob", "1", "2", "0.5"])
        self.assertEqual(rows[3], ["Team total: Alpha", "3", "6", "0.5"])

    def test_exports_escape_text_a_spreadsheet_would_run_as_a_formula(self):
        for evil in ('=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"):
            body = self.export("csv", evil).content.decode("utf-8-sig")
            self.assertIn("'" + evil.replace('"', '""'), body)
            sheet = load_workbook(io.BytesIO(self.export("xlsx", evil).content)).active
            names = [row[0].value for row in sheet.iter_rows(min_row=2)]
            self.assertIn("'" + evil, names)
            self.assertTrue(all(not str(n).startswith(("=", "+", "-", "@")) for n in names))

    def test_the_xlsx_export_keeps_numbers_as_numbers(self):
        sheet = load_workbook(io.BytesIO(self.export("xlsx").content)).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[1], ["Rita", 2, 4, 0.5])
        self.assertEqual(rows[-1], ["Team total: Alpha", 3, 6, 0.5])

    def test_an_unknown_export_format_is_not_found(self):
        self.login(self.manager)
        url = reverse("team_export", args=[self.team.pk, "pdf"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_exports_of_a_custom_range_for_a_chinese_team_name_download(self):
        self.team.name = "北区 Sales"
        self.team.save()
        self.login(self.manager)
        query = "?kind=custom&start=2026-03-01&end=2026-03-16&metric=deals_won"
        for fmt in ("csv", "xlsx"):
            url = reverse("team_export", args=[self.team.pk, fmt])
            response = self.client.get(url + query)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(
                response["Content-Disposition"],
                f'attachment; filename="sales-2026-03-01..2026-03-16.{fmt}"',
            )
        sheet = load_workbook(io.BytesIO(response.content)).active
        # 1-16 March gets 16/31 of March's goal of 4: 64/31 ≈ 2.0645; 2 of it is 31/32.
        self.assertEqual([c.value for c in sheet[2]], ["Rita", 2, 2.0645, 0.9688])
