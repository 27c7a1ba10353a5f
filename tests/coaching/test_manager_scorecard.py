"""The manager scorecard's figures against values computed by hand (tests/coaching/managers_history.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from followthrough.coaching import managerscore as ms
from followthrough.coaching.models import Meeting
from followthrough.lib.periods import Period, PeriodKind
from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import BaseTestCase, make_person
from tests.coaching.managers_history import MARCH, TODAY, build_history


class ManagerScorecardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_history(cls)

    def card(self, period=MARCH, today=TODAY):
        return ms.manager_scorecard(self.manager, period, today)

    def test_one_on_ones_held_count_moved_ones_once_and_unrecorded_past_ones_as_not_held(self):
        figure = self.card()[ms.ONE_ON_ONES]
        # Held: 3, 4, 12 March and 00:30 on 1 March local; missed 10 March; 17 March unrecorded.
        self.assertEqual((figure.numerator, figure.denominator), (4, 6))
        self.assertEqual(figure.value, Decimal(4) / 6)

    def test_a_meeting_is_in_the_period_of_its_day_in_the_organisations_time_zone(self):
        february = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28), PeriodKind.MONTH)
        figure = self.card(february)[ms.ONE_ON_ONES]
        self.assertEqual(figure.denominator, 0)
        self.assertIsNone(figure.value)

    def test_deal_reviews_within_the_promised_window(self):
        card = self.card()
        self.assertEqual(card.review_days, 14)
        figure = card[ms.DEAL_REVIEWS]
        # Open in 1-20 March: deals 1, 2, 3, 5, 6, 7, 9; on time: 1 (reviewed 5 and 15
        # March), 3 (created 10 March), 6 (lost after 11 days).
        self.assertEqual((figure.numerator, figure.denominator), (3, 7))

    def test_the_deal_review_records_agree_with_the_figure(self):
        card = self.card()
        records = ms.figure_records(card, ms.DEAL_REVIEWS, TODAY)
        on_time = {row.record.pk for row in records.rows if row.counted}
        late = {row.record.pk for row in records.rows if not row.counted}
        d = self.deals
        self.assertEqual(on_time, {d[1].pk, d[3].pk, d[6].pk})
        self.assertEqual(late, {d[2].pk, d[5].pk, d[7].pk, d[9].pk})

    def test_without_a_promise_there_is_no_deal_review_figure(self):
        self.team.coaching_settings.delete()
        figure = self.card()[ms.DEAL_REVIEWS]
        self.assertIsNone(figure.value)
        self.assertIsNone(figure.denominator)

    def test_commitments_kept_on_time_are_the_managers_own_done_by_their_due_date(self):
        figure = self.card()[ms.COMMITMENTS]
        # Due 5, 6, 10, 12 March and the one due 25 March done on the 15th; kept: 2.
        self.assertEqual((figure.numerator, figure.denominator), (2, 5))
        self.assertEqual(figure.value, Decimal("0.4"))

    def test_self_reports_reviewed_of_the_submitted_ones(self):
        figure = self.card()[ms.SELF_REPORTS]
        self.assertEqual((figure.numerator, figure.denominator), (2, 3))

    def test_coaching_time_per_rep_per_month_counts_held_meetings_of_both_kinds(self):
        figure = self.card()[ms.COACHING_TIME]
        # 30 + 45 + 30 + 60 minutes of 1:1s and 3 x 30 of deal reviews (1, 5 and 15 March);
        # 2 reps; 20/31 of March.
        self.assertEqual(figure.numerator, 255)
        expected = Decimal(255) / 60 / 2 / (Decimal(20) / 31)
        self.assertAlmostEqual(float(figure.value), float(expected), places=9)
        self.assertEqual(figure.note, ms.WITHIN)  # 3.3 hours: within the 3-5 hours guidance

    def test_stepped_in_counts_the_period_only(self):
        self.assertEqual(self.card()[ms.STEPPED_IN].value, 1)

    def test_team_attainment_is_the_dashboards_revenue_against_the_team_target(self):
        figure = self.card()[ms.ATTAINMENT]
        self.assertEqual(figure.note, "revenue_won")
        self.assertEqual((figure.numerator, figure.denominator), (4000, 10000))
        self.assertEqual(figure.value, Decimal("0.4"))

    def test_the_records_of_each_figure_add_up_to_its_numerator_and_denominator(self):
        card = self.card()
        for key in (ms.ONE_ON_ONES, ms.COMMITMENTS, ms.SELF_REPORTS, ms.DEAL_REVIEWS):
            rows = ms.figure_records(card, key, TODAY).rows
            figure = card[key]
            self.assertEqual(sum(r.counted for r in rows), figure.numerator, key)
            self.assertEqual(len(rows), figure.denominator, key)
        rows = ms.figure_records(card, ms.COACHING_TIME, TODAY).rows
        self.assertEqual(sum(r.minutes for r in rows), card[ms.COACHING_TIME].numerator)
        rows = ms.figure_records(card, ms.STEPPED_IN, TODAY).rows
        self.assertEqual(len(rows), 1)

    def test_another_manager_has_their_own_figures(self):
        otto = ms.manager_scorecard(self.other_manager, MARCH, TODAY)
        self.assertEqual((otto[ms.ONE_ON_ONES].numerator, otto[ms.ONE_ON_ONES].denominator), (1, 1))
        self.assertEqual(otto[ms.SELF_REPORTS].denominator, 1)
        self.assertEqual(otto[ms.COMMITMENTS].denominator, 0)

    def test_a_period_that_has_not_begun_has_no_figures_yet(self):
        april = Period(dt.date(2025, 4, 1), dt.date(2025, 4, 30), PeriodKind.MONTH)
        card = self.card(april)
        self.assertIsNone(card[ms.COACHING_TIME].value)
        self.assertIsNone(card[ms.DEAL_REVIEWS].value)

    def test_a_missed_unrecorded_meeting_becomes_held_when_recorded(self):
        self.m_unrecorded.status = "held"
        self.m_unrecorded.save()
        figure = self.card()[ms.ONE_ON_ONES]
        self.assertEqual((figure.numerator, figure.denominator), (5, 6))


class ManagerScorecardQueryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        build_history(cls)

    def queries(self, manager_ids) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            ms.manager_scorecards(self.org, manager_ids, MARCH, TODAY)
        return len(captured)

    def test_the_query_count_does_not_grow_with_managers_or_meetings(self):
        self.queries([self.manager.pk])  # loads the metric catalog into its cache
        two = self.queries([self.manager.pk, self.other_manager.pk])
        self.assertLessEqual(two, 23)  # with the engine's shared-credit probe
        for n in range(5):
            extra = make_person(self.org, f"Manager {n}", Role.MANAGER, login=False)
            move(extra, manager=self.leader, team=self.other_team, on=dt.date(2024, 1, 1))
            rep = make_person(self.org, f"Rep {n}", Role.REP, login=False)
            move(rep, manager=extra, team=self.other_team, on=dt.date(2024, 1, 1))
            Meeting.objects.create(
                organisation=self.org,
                manager=extra,
                rep=rep,
                status="held",
                scheduled_at=dt.datetime(2025, 3, 3, 10, tzinfo=dt.UTC),
            )
        from followthrough.people.models import Person

        everyone = list(
            Person.objects.filter(organisation=self.org, role=Role.MANAGER).values_list(
                "pk", flat=True
            )
        )
        with self.assertNumQueries(two):
            ms.manager_scorecards(self.org, everyone, MARCH, TODAY)
