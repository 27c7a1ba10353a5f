"""Reporting lines over time: moves keep the past with the team of the time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from followthrough.people.lines import line_on, move, reports_of, team_on
from followthrough.people.models import ReportingLine
from tests.cast import START, BaseTestCase


class ReportingLineTests(BaseTestCase):
    def test_a_move_ends_the_old_line_the_day_before(self):
        move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
        lines = list(ReportingLine.objects.filter(person=self.rep).order_by("valid_from"))
        self.assertEqual(
            [(line.valid_from, line.valid_to, line.team.name) for line in lines],
            [(START, dt.date(2025, 2, 28), "Alpha"), (dt.date(2025, 3, 1), None, "Beta")],
        )

    def test_the_past_stays_with_the_team_of_the_time(self):
        move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
        self.assertEqual(team_on(self.rep, dt.date(2025, 2, 28)), self.team)
        self.assertEqual(team_on(self.rep, dt.date(2025, 3, 1)), self.other_team)
        self.assertIsNone(team_on(self.rep, dt.date(2023, 12, 31)))

    def test_reports_follow_the_date(self):
        move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
        maya_before = reports_of(self.manager, dt.date(2025, 2, 28))
        maya_after = reports_of(self.manager, dt.date(2025, 3, 1))
        self.assertEqual(maya_before, {self.rep.pk, self.rep2.pk})
        self.assertEqual(maya_after, {self.rep2.pk})
        self.assertIn(self.rep.pk, reports_of(self.other_manager, dt.date(2025, 3, 1)))

    def test_a_move_on_the_start_day_of_a_line_corrects_it_in_place(self):
        move(self.rep, manager=self.other_manager, team=self.other_team, on=START)
        self.assertEqual(ReportingLine.objects.filter(person=self.rep).count(), 1)
        self.assertEqual(line_on(self.rep, START).team, self.other_team)

    def test_a_move_into_the_past_ends_before_the_next_line(self):
        move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
        move(self.rep, manager=self.leader, team=self.region, on=dt.date(2024, 6, 1))
        spans = [
            (line.valid_from, line.valid_to)
            for line in ReportingLine.objects.filter(person=self.rep).order_by("valid_from")
        ]
        self.assertEqual(
            spans,
            [
                (START, dt.date(2024, 5, 31)),
                (dt.date(2024, 6, 1), dt.date(2025, 2, 28)),
                (dt.date(2025, 3, 1), None),
            ],
        )

    def test_overlapping_lines_are_refused(self):
        line = ReportingLine(
            organisation=self.org,
            person=self.rep,
            manager=self.other_manager,
            valid_from=dt.date(2024, 5, 1),
        )
        with self.assertRaises(ValidationError) as caught:
            line.full_clean()
        self.assertIn("valid_from", caught.exception.message_dict)

    def test_a_person_cannot_report_to_themselves_or_across_organisations(self):
        line = ReportingLine(
            organisation=self.org, person=self.rep, manager=self.rep, valid_from=dt.date(2026, 1, 1)
        )
        with self.assertRaises(ValidationError):
            line.full_clean()
        line.manager = self.outsider
        with self.assertRaises(ValidationError) as caught:
            line.full_clean()
        self.assertIn("manager", caught.exception.message_dict)
