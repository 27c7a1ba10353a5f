"""Periods cut into whole quarters and months (read from rollups) and leftover days (facts)."""

import datetime as dt

from django.test import SimpleTestCase

from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics.segments import segments

D = dt.date
Q, M = "Q", "M"


class SegmentTests(SimpleTestCase):
    def test_a_quarter_is_one_quarter_row(self):
        pieces, days = segments(period_of(PeriodKind.QUARTER, D(2025, 4, 9)))
        self.assertEqual((pieces, days), ([(Q, D(2025, 4, 1), D(2025, 4, 1))], []))

    def test_a_month_is_one_month_row(self):
        pieces, days = segments(period_of(PeriodKind.MONTH, D(2025, 5, 9)))
        self.assertEqual((pieces, days), ([(M, D(2025, 5, 1), D(2025, 5, 1))], []))

    def test_a_year_is_its_four_quarters(self):
        pieces, days = segments(period_of(PeriodKind.YEAR, D(2025, 5, 9)))
        self.assertEqual((pieces, days), ([(Q, D(2025, 1, 1), D(2025, 10, 1))], []))

    def test_a_fiscal_year_from_february_is_months_and_quarters(self):
        pieces, days = segments(Period(D(2025, 2, 1), D(2026, 1, 31)))
        self.assertEqual(
            pieces,
            [
                (M, D(2025, 2, 1), D(2025, 3, 1)),
                (Q, D(2025, 4, 1), D(2025, 10, 1)),
                (M, D(2026, 1, 1), D(2026, 1, 1)),
            ],
        )
        self.assertEqual(days, [])

    def test_a_period_cut_across_months_keeps_its_partial_months_as_days(self):
        pieces, days = segments(Period(D(2024, 1, 17), D(2024, 5, 3)))
        self.assertEqual(pieces, [(M, D(2024, 2, 1), D(2024, 4, 1))])
        self.assertEqual(
            days, [Period(D(2024, 1, 17), D(2024, 1, 31)), Period(D(2024, 5, 1), D(2024, 5, 3))]
        )

    def test_a_week_is_days_only_even_across_a_month_end(self):
        pieces, days = segments(period_of(PeriodKind.WEEK, D(2025, 4, 29)))
        self.assertEqual(pieces, [])
        self.assertEqual(
            days, [Period(D(2025, 4, 28), D(2025, 4, 30)), Period(D(2025, 5, 1), D(2025, 5, 4))]
        )

    def test_a_leap_february_is_a_whole_month(self):
        pieces, days = segments(Period(D(2024, 2, 1), D(2024, 2, 29)))
        self.assertEqual((pieces, days), ([(M, D(2024, 2, 1), D(2024, 2, 1))], []))
