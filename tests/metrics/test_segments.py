"""Periods cut into whole months (read from rollups) and leftover days (read from facts)."""

import datetime as dt

from django.test import SimpleTestCase

from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics.segments import segments

D = dt.date


class SegmentTests(SimpleTestCase):
    def test_a_quarter_is_one_range_of_months(self):
        months, days = segments(period_of(PeriodKind.QUARTER, D(2025, 4, 9)))
        self.assertEqual(months, [(D(2025, 4, 1), D(2025, 6, 1))])
        self.assertEqual(days, [])

    def test_a_period_cut_across_months_keeps_its_partial_months_as_days(self):
        months, days = segments(Period(D(2024, 1, 17), D(2024, 5, 3)))
        self.assertEqual(months, [(D(2024, 2, 1), D(2024, 4, 1))])
        self.assertEqual(
            days, [Period(D(2024, 1, 17), D(2024, 1, 31)), Period(D(2024, 5, 1), D(2024, 5, 3))]
        )

    def test_a_week_is_days_only_even_across_a_month_end(self):
        months, days = segments(period_of(PeriodKind.WEEK, D(2025, 4, 29)))
        self.assertEqual(months, [])
        self.assertEqual(
            days, [Period(D(2025, 4, 28), D(2025, 4, 30)), Period(D(2025, 5, 1), D(2025, 5, 4))]
        )

    def test_a_leap_february_is_a_whole_month(self):
        months, days = segments(Period(D(2024, 2, 1), D(2024, 2, 29)))
        self.assertEqual((months, days), ([(D(2024, 2, 1), D(2024, 2, 1))], []))
