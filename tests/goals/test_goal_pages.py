"""Setting goals in the UI: who may, field-level errors, and the audit history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from followthrough.audit.models import AuditEntry
from followthrough.goals.models import Goal, GoalSettings
from tests.cast import BaseTestCase


def form_data(**overrides):
    data = {
        "person": "",
        "team": "",
        "metric_key": "deals_won",
        "period_kind": "quarter",
        "day": "2026-02-10",
        "until": "",
        "target": "12",
        "ramp": "organisation",
        "ramp_shares": "",
        "note": "",
    }
    data.update(overrides)
    return data


class GoalPageTests(BaseTestCase):
    def post(self, who, **overrides):
        self.login(who)
        return self.client.post(reverse("goal_new"), form_data(**overrides))

    def test_a_manager_sets_a_quarter_goal_for_a_report(self):
        response = self.post(self.manager, person=self.rep.pk)
        self.assertRedirects(response, reverse("goals"), fetch_redirect_response=False)
        goal = Goal.objects.get()
        self.assertEqual((goal.start, goal.end), (dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
        self.assertEqual(goal.target, Decimal(12))

    def test_the_fiscal_year_starts_in_the_organisations_month(self):
        self.org.fiscal_year_start_month = 4
        self.org.save()
        self.post(self.admin, person=self.rep.pk, period_kind="fiscal_year")
        goal = Goal.objects.get()
        self.assertEqual((goal.start, goal.end), (dt.date(2025, 4, 1), dt.date(2026, 3, 31)))
        self.assertEqual(goal.period.key, "FY2026")

    def test_a_custom_range_needs_an_end_after_its_start(self):
        response = self.post(self.manager, person=self.rep.pk, period_kind="custom")
        self.assertEqual(
            response.context["form"].errors["until"], ["A custom range needs an end date."]
        )
        response = self.post(
            self.manager, person=self.rep.pk, period_kind="custom", until="2026-01-01"
        )
        self.assertIn("until", response.context["form"].errors)
        self.assertFalse(Goal.objects.exists())

    def test_bad_values_get_field_errors_not_a_crash(self):
        cases = [
            ({"person": self.rep.pk, "target": "-1"}, "target"),
            ({"person": self.rep.pk, "target": "lots"}, "target"),
            ({"person": self.rep.pk, "metric_key": "nope"}, "metric_key"),
            ({"person": self.rep.pk, "day": "2026-13-40"}, "day"),
            ({}, "person"),
            ({"person": self.rep.pk, "team": self.other_team.pk}, "team"),
            ({"person": self.rep.pk, "ramp": "custom", "ramp_shares": "25, lots"}, "ramp_shares"),
        ]
        for overrides, field in cases:
            response = self.post(self.leader, **overrides)
            self.assertEqual(response.status_code, 200, overrides)
            self.assertIn(field, response.context["form"].errors, overrides)
        self.assertFalse(Goal.objects.exists())

    def test_the_same_goal_twice_is_refused(self):
        self.post(self.manager, person=self.rep.pk)
        response = self.post(self.manager, person=self.rep.pk, target="20")
        self.assertIn("metric_key", response.context["form"].errors)
        self.assertEqual(Goal.objects.get().target, 12)

    def test_nobody_sets_goals_outside_their_reach(self):
        refused = [
            (self.manager, self.manager),  # their own
            (self.manager, self.other_rep),  # another team
            (self.other_manager, self.rep),
            (self.outsider, self.rep),  # another organisation
        ]
        for who, person in refused:
            response = self.post(who, person=person.pk)
            self.assertEqual(response.status_code, 200)
            self.assertIn("person", response.context["form"].errors)
        self.assertFalse(Goal.objects.exists())

    def test_a_rep_may_not_open_the_goal_form(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("goal_new")).status_code, 403)
        self.assertEqual(self.post(self.rep, person=self.rep.pk).status_code, 403)

    def test_a_leader_sets_team_goals_below_them_but_a_manager_not_their_own_team(self):
        self.post(self.leader, team=self.team.pk)
        self.assertEqual(Goal.objects.get().team, self.team)
        response = self.post(self.manager, team=self.team.pk, target="99")
        self.assertIn("team", response.context["form"].errors)

    def test_a_rep_reads_only_their_own_goals(self):
        self.post(self.manager, person=self.rep.pk)
        self.post(self.manager, person=self.rep2.pk)
        self.login(self.rep)
        response = self.client.get(reverse("goals"))
        self.assertEqual([g.person for g in response.context["page"]], [self.rep])
        self.assertNotContains(response, reverse("goal_new"))
        goal = Goal.objects.get(person=self.rep2)
        self.assertEqual(self.client.get(reverse("goal_edit", args=[goal.pk])).status_code, 403)

    def test_another_teams_manager_cannot_edit_or_delete(self):
        self.post(self.manager, person=self.rep.pk)
        goal = Goal.objects.get()
        self.login(self.other_manager)
        self.assertEqual(self.client.get(reverse("goal_edit", args=[goal.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("goal_delete", args=[goal.pk])).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.post(reverse("goal_delete", args=[goal.pk])).status_code, 404)
        self.assertTrue(Goal.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for name in ("goals", "goal_new", "goal_import", "goal_settings"):
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302, name)

    def test_every_change_is_audited_with_before_and_after(self):
        self.post(self.manager, person=self.rep.pk)
        goal = Goal.objects.get()
        self.login(self.manager)
        data = form_data(person=self.rep.pk, target="15")
        self.client.post(reverse("goal_edit", args=[goal.pk]), data)
        self.client.post(reverse("goal_delete", args=[goal.pk]))
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Goal), object_id=str(goal.pk)
        ).order_by("pk")
        self.assertEqual([e.action for e in entries], ["create", "update", "delete"])
        self.assertEqual(entries[1].changes["target"], ["12.0000", "15.0000"])
        self.assertEqual(entries[1].actor, self.manager.user)

    def test_only_admins_change_the_organisations_ramp(self):
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("goal_settings")).status_code, 403)
        self.login(self.admin)
        response = self.client.post(
            reverse("goal_settings"), {"ramp_shares": "20, 40, 60, 80", "scorecard_metrics": []}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(GoalSettings.objects.get().ramp_shares, [20, 40, 60, 80])
        response = self.client.post(reverse("goal_settings"), {"ramp_shares": "20, 140"})
        self.assertIn("ramp_shares", response.context["form"].errors)


class GoalListQueryTests(BaseTestCase):
    def add_goals(self, first: int, count: int) -> None:
        for i in range(first, first + count):
            for subject in ({"person": self.rep}, {"team": self.team}):
                Goal.objects.create(
                    organisation=self.org,
                    metric_key="deals_won",
                    period_kind="custom",
                    start=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                    end=dt.date(2026, 1, 1) + dt.timedelta(days=i),
                    target=Decimal(1),
                    **subject,
                )

    def count(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.login(self.leader)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(reverse("goals")).status_code, 200)
        return len(ctx.captured_queries)

    def test_the_goal_list_costs_the_same_queries_for_2_or_40_goals(self):
        self.add_goals(0, 1)
        self.count()  # warms the session and the metric catalogue's cache
        few = self.count()
        self.add_goals(1, 20)
        self.assertEqual(few, self.count())

    def test_the_pager_keeps_the_lists_filters(self):
        self.add_goals(0, 110)  # 110 for the rep, 110 for the team
        self.login(self.leader)
        query = {"person": self.rep.pk, "metric": "deals_won"}
        first = self.client.get(reverse("goals"), query)
        self.assertContains(first, "Page 1 of 2")
        self.assertNotContains(first, ">Previous<")
        link = f"?person={self.rep.pk}&amp;metric=deals_won&amp;page="
        self.assertContains(first, f'<a href="{link}2">Next</a>', html=True)
        second = self.client.get(reverse("goals"), {**query, "page": 2})
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, f'<a href="{link}1">Previous</a>', html=True)
        self.assertNotContains(second, ">Next<")
        self.assertEqual(len(second.context["page"].object_list), 10)
        self.assertEqual({g.person_id for g in second.context["page"]}, {self.rep.pk})


class MetricNameTranslationTests(BaseTestCase):
    def test_goal_settings_and_the_goal_form_name_built_in_metrics_in_the_readers_language(self):
        self.login(self.admin)
        for language, win_rate in (("nl", "Winpercentage"), ("zh-hans", "赢单率")):
            for url in (reverse("goal_settings"), reverse("goal_new")):
                response = self.client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                self.assertContains(response, win_rate)
                self.assertNotContains(response, ">Win rate")
                self.assertNotContains(response, "Deals won<")
