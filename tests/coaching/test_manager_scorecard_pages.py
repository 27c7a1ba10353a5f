"""The manager scorecard pages: who may open them, what they show, the leaders' comparison."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from followthrough.coaching import managerscore as ms
from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import BaseTestCase, make_person
from tests.coaching.managers_history import build_history

# 20 March 2025, noon in Amsterdam: the day the history's figures were computed for.
NOW = dt.datetime(2025, 3, 20, 11, tzinfo=dt.UTC)
MARCH = "?kind=month&date=2025-03-01"


@time_machine.travel(NOW, tick=False)
class ManagerScorecardPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_history(cls)

    def page(self, viewer, manager=None, suffix=MARCH):
        self.login(viewer)
        manager = manager or self.manager
        return self.client.get(reverse("manager_scorecard", args=[manager.pk]) + suffix)

    def test_a_managers_my_scorecard_is_their_manager_scorecard(self):
        self.login(self.manager)
        response = self.client.get(reverse("me") + MARCH)
        self.assertRedirects(response, reverse("manager_scorecard", args=[self.manager.pk]) + MARCH)

    def test_a_reps_my_scorecard_stays_their_own_scorecard(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("me")).status_code, 200)

    def test_the_manager_sees_their_figures_with_links_to_the_records(self):
        response = self.page(self.manager)
        self.assertContains(response, "My scorecard")
        self.assertContains(response, "67 %")  # 4 of 6 1:1s held
        self.assertContains(response, "4 of 6")
        self.assertContains(response, "3 of 7")  # deal reviews on time
        self.assertContains(response, "2 of 5")  # own commitments
        self.assertContains(response, "2 of 3")  # self-reports reviewed
        self.assertContains(response, "within the 3-5 hours guidance")
        self.assertContains(
            response, reverse("manager_records", args=[self.manager.pk, ms.ONE_ON_ONES])
        )

    def test_who_may_open_a_managers_scorecard(self):
        allowed = (self.manager, self.leader, self.admin, self.rep, self.rep2)
        refused = (self.other_manager, self.other_rep)
        for viewer in allowed:
            self.assertEqual(self.page(viewer).status_code, 200, viewer)
        for viewer in refused:
            self.assertEqual(self.page(viewer).status_code, 403, viewer)
        self.login(self.outsider)
        url = reverse("manager_scorecard", args=[self.manager.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_a_rep_may_not_open_another_managers_scorecard(self):
        self.assertEqual(self.page(self.rep, self.other_manager).status_code, 403)

    def test_a_reps_own_page_has_no_manager_scorecard(self):
        self.assertEqual(self.page(self.manager, self.rep).status_code, 404)

    def test_a_rep_sees_only_their_own_records_behind_their_managers_figures(self):
        self.login(self.rep)
        url = reverse("manager_records", args=[self.manager.pk, ms.SELF_REPORTS]) + MARCH
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        shown = {row.record.rep_id for row in response.context["rows"]}
        self.assertEqual(shown, {self.rep.pk})
        self.assertEqual(response.context["hidden"], 1)  # Rob's report: counted, not listed
        url = reverse("manager_records", args=[self.manager.pk, ms.COMMITMENTS]) + MARCH
        self.assertEqual(len(self.client.get(url).context["rows"]), 0)

    def test_every_figure_has_a_records_page(self):
        self.login(self.leader)
        for key in ms.FIGURES:
            url = reverse("manager_records", args=[self.manager.pk, key]) + MARCH
            self.assertEqual(self.client.get(url).status_code, 200, key)
        url = reverse("manager_records", args=[self.manager.pk, "nonsense"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_the_records_page_lists_the_counted_and_the_not_counted(self):
        self.login(self.manager)
        url = reverse("manager_records", args=[self.manager.pk, ms.ONE_ON_ONES]) + MARCH
        response = self.client.get(url)
        rows = list(response.context["rows"])
        self.assertEqual((sum(r.counted for r in rows), len(rows)), (4, 6))

    def test_a_bad_period_falls_back_with_a_notice_not_an_error(self):
        response = self.page(self.manager, suffix="?kind=month&date=2025-13-45")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is not a date")


@time_machine.travel(NOW, tick=False)
class CompareManagersPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_history(cls)

    def get(self, viewer, query=MARCH):
        self.login(viewer)
        return self.client.get(reverse("managers") + query)

    def test_a_leader_compares_the_managers_below_them(self):
        response = self.get(self.leader)
        self.assertEqual(response.status_code, 200)
        names = [card.manager.name for card, _cells in response.context["rows"]]
        self.assertEqual(names, ["Maya", "Otto"])
        self.assertContains(response, "managers-chart-data")

    def test_the_table_sorts_by_a_figure(self):
        response = self.get(self.leader, MARCH + "&sort=one_on_ones&dir=desc")
        names = [card.manager.name for card, _cells in response.context["rows"]]
        self.assertEqual(names, ["Otto", "Maya"])  # 1 of 1 held against 4 of 6
        response = self.get(self.leader, MARCH + "&sort=one_on_ones")
        names = [card.manager.name for card, _cells in response.context["rows"]]
        self.assertEqual(names, ["Maya", "Otto"])

    def test_an_admin_compares_every_manager(self):
        response = self.get(self.admin)
        names = [card.manager.name for card, _cells in response.context["rows"]]
        self.assertEqual(names, ["Lea", "Maya", "Otto"])

    def test_reps_and_managers_may_not_compare_managers(self):
        for viewer in (self.rep, self.rep2, self.manager, self.other_manager):
            self.assertEqual(self.get(viewer).status_code, 403, viewer)
        self.login(self.outsider)
        names = [
            card.manager.name for card, _ in self.client.get(reverse("managers")).context["rows"]
        ]
        self.assertEqual(names, [])

    def test_the_comparison_costs_the_same_queries_for_more_managers(self):
        self.get(self.leader)  # warms the metric catalog's cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as two:
            self.client.get(reverse("managers") + MARCH)
        for n in range(4):
            extra = make_person(self.org, f"Manager {n}", Role.MANAGER, login=False)
            move(extra, manager=self.leader, team=self.other_team, on=dt.date(2024, 1, 1))
            rep = make_person(self.org, f"Rep {n}", Role.REP, login=False)
            move(rep, manager=extra, team=self.other_team, on=dt.date(2024, 1, 1))
        with self.assertNumQueries(len(two)):
            response = self.client.get(reverse("managers") + MARCH)
        self.assertEqual(len(response.context["rows"]), 6)
