"""Importing goals from CSV: every error named by row and column, all rows or none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from followthrough.goals.imports import import_goals
from followthrough.goals.models import Goal, RampChoice
from tests.cast import BaseTestCase


class GoalImportTests(BaseTestCase):
    def run_import(self, text: str, who=None):
        return import_goals(who or self.leader, text.encode("utf-8"))

    def test_rows_are_matched_by_email_external_id_or_name_and_saved(self):
        self.rep2.external_id = "E-7"
        self.rep2.save()
        result = self.run_import(
            "person,team,metric,period,target,ramp\n"
            "rita@acme.test,,deals_won,2026-Q1,12,\n"
            "E-7,,revenue_won,2026-01,50000,none\n"
            ",Alpha,deals_won,FY2026,120,25 50 75\n"
            "Rita,,win_rate,2026-W03,30 %,\n"
        )
        self.assertTrue(result.ok, result.errors)
        self.assertEqual((result.created, result.updated), (4, 0))
        team_goal = Goal.objects.get(team=self.team)
        self.assertEqual((team_goal.ramp, team_goal.ramp_shares), (RampChoice.CUSTOM, [25, 50, 75]))
        self.assertEqual(team_goal.end, dt.date(2026, 12, 31))
        week = Goal.objects.get(metric_key="win_rate")
        self.assertEqual((week.start, week.end), (dt.date(2026, 1, 12), dt.date(2026, 1, 18)))
        self.assertEqual(week.target, Decimal("0.3"))

    def test_importing_again_updates_instead_of_adding(self):
        self.run_import("person,metric,period,target\nRita,deals_won,2026-Q1,12\n")
        result = self.run_import("person,metric,period,target\nRita,deals_won,2026-Q1,15\n")
        self.assertEqual((result.created, result.updated), (0, 1))
        self.assertEqual(Goal.objects.get().target, Decimal(15))

    def test_one_bad_row_saves_nothing_and_every_error_names_row_and_column(self):
        result = self.run_import(
            "person,metric,period,target\n"
            "Rita,deals_won,2026-Q1,12\n"
            "Nobody,deals_won,2026-Q1,12\n"
            "Rita,nope,2026-Q5,-3\n"
            "Lea,deals_won,2026-Q1,1\n"
        )
        self.assertFalse(result.ok)
        self.assertEqual(
            [(e.row, e.column) for e in result.errors],
            [(3, "person"), (4, "metric"), (4, "period"), (4, "target"), (5, "person")],
        )
        self.assertEqual(str(result.errors[0]), "Row 3, column person: No such person.")
        self.assertFalse(Goal.objects.exists())

    def test_a_missing_column_or_a_duplicate_row_is_named(self):
        result = self.run_import("person,metric,target\nRita,deals_won,3\n")
        self.assertEqual([(e.row, e.column) for e in result.errors], [(1, "period")])
        result = self.run_import(
            "person,metric,period,target\nRita,deals_won,2026-01,3\nRita,deals_won,2026-01,4\n"
        )
        self.assertEqual([(e.row, e.column) for e in result.errors], [(3, "period")])

    def test_files_that_are_not_text_are_refused_politely(self):
        result = import_goals(self.leader, b"\xff\xfe\x00bad")
        self.assertEqual(str(result.errors[0]), "Row 1, column -: The file is not UTF-8 text.")

    def test_a_manager_cannot_import_goals_for_another_team(self):
        result = self.run_import(
            "person,metric,period,target\nOlga,deals_won,2026-01,3\n", self.manager
        )
        self.assertEqual(result.errors[0].message, "You may not set goals for this person.")

    def test_the_upload_page_shows_the_errors_and_saves_nothing(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.login(self.manager)
        upload = SimpleUploadedFile(
            "g.csv", b"person,metric,period,target\nRita,deals_won,2026-01,x\n"
        )
        response = self.client.post(reverse("goal_import"), {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Row 2, column target", status_code=400)
        self.assertFalse(Goal.objects.exists())
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("goal_import")).status_code, 403)
