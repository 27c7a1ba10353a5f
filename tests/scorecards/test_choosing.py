"""The period picker: what the address asks for, what the page shows, and what it says."""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase
from django.utils import translation

from followthrough.lib.periods import Period, PeriodKind
from followthrough.scorecards.choosing import MAX_CUSTOM_DAYS, choose, chosen_period

D = dt.date
TODAY = D(2026, 12, 7)  # a Monday in the fourth quarter


class PickerDayTests(SimpleTestCase):
    def test_switching_from_a_quarter_to_a_year_to_a_week_keeps_todays_week(self):
        # The picker submits its "Containing" day with the new kind, as the form does.
        quarter = choose({"kind": "quarter"}, TODAY, 1)
        self.assertEqual(quarter.period, Period(D(2026, 10, 1), D(2026, 12, 31), "quarter"))
        self.assertEqual(quarter.day, TODAY)
        year = choose({"kind": "year", "date": quarter.day.isoformat()}, TODAY, 1)
        self.assertEqual(year.day, TODAY)
        week = choose({"kind": "week", "date": year.day.isoformat()}, TODAY, 1)
        self.assertEqual(week.period, Period(D(2026, 12, 7), D(2026, 12, 13), "week"))
        self.assertEqual(week.notices, ())

    def test_a_chosen_day_is_kept_where_it_falls_in_the_new_period(self):
        year = choose({"kind": "year", "date": "2025-05-20"}, TODAY, 1)
        self.assertEqual(year.day, D(2025, 5, 20))
        week = choose({"kind": "week", "date": year.day.isoformat()}, TODAY, 1)
        self.assertEqual(week.period.start, D(2025, 5, 19))

    def test_a_custom_range_keeps_today_when_it_holds_it_else_its_first_day(self):
        params = {"kind": "custom", "start": "2026-11-01", "end": "2026-12-31"}
        self.assertEqual(choose(params, TODAY, 1).day, TODAY)
        params = {"kind": "custom", "start": "2025-01-10", "end": "2025-02-10"}
        self.assertEqual(choose(params, TODAY, 1).day, D(2025, 1, 10))


class CustomRangeTests(SimpleTestCase):
    def test_a_reversed_range_is_swapped_with_a_notice(self):
        choice = choose({"kind": "custom", "start": "2026-03-31", "end": "2026-01-01"}, TODAY, 1)
        self.assertEqual(choice.period, Period(D(2026, 1, 1), D(2026, 3, 31), "custom"))
        self.assertEqual(len(choice.notices), 1)
        self.assertIn("swapped", choice.notices[0])

    def test_a_range_too_long_is_cut_with_a_notice(self):
        choice = choose({"kind": "custom", "start": "2020-01-01", "end": "2026-01-01"}, TODAY, 1)
        # 1,098 days from 1 January 2020 (2020 and 2024 are leap years): to 2 January 2023.
        self.assertEqual(MAX_CUSTOM_DAYS, 1098)
        self.assertEqual(choice.period.end, D(2023, 1, 2))
        self.assertIn("1098", choice.notices[0])

    def test_a_range_without_an_end_falls_back_to_the_current_month_with_a_notice(self):
        choice = choose({"kind": "custom", "start": "2026-01-01"}, TODAY, 1)
        self.assertEqual(choice.period, Period(D(2026, 12, 1), D(2026, 12, 31), "month"))
        self.assertEqual(len(choice.notices), 2)


class OutOfRangeTests(SimpleTestCase):
    def test_out_of_range_days_show_the_current_period_of_that_kind_with_a_notice(self):
        for kind, date in [
            ("month", "9999-12-31"),
            ("month", "0001-01-01"),
            ("week", "9999-12-31"),
            ("fiscal_year", "0001-01-01"),
        ]:
            with self.subTest(kind=kind, date=date):
                choice = choose({"kind": kind, "date": date}, TODAY, 4)
                self.assertIn(TODAY, choice.period)
                self.assertEqual(choice.period.kind, kind)
                self.assertIn(date, choice.notices[0])

    def test_out_of_range_custom_ends_show_the_current_month_with_a_notice(self):
        params = {"kind": "custom", "start": "0001-01-01", "end": "9999-12-31"}
        choice = choose(params, TODAY, 1)
        self.assertEqual(choice.period, Period(D(2026, 12, 1), D(2026, 12, 31), "month"))
        self.assertTrue(choice.notices)

    def test_text_that_is_not_a_date_is_named_in_the_notice(self):
        choice = choose({"kind": "month", "date": "yesterday"}, TODAY, 1)
        self.assertEqual(choice.period.start, D(2026, 12, 1))
        self.assertIn("“yesterday”", choice.notices[0])

    def test_the_notices_are_translated(self):
        with translation.override("nl"):
            choice = choose(
                {"kind": "custom", "start": "2026-03-31", "end": "2026-01-01"}, TODAY, 1
            )
        self.assertNotIn("swapped", choice.notices[0])

    def test_a_plain_choice_has_no_notice_and_chosen_period_matches(self):
        params = {"kind": "quarter", "date": "2026-02-03"}
        self.assertEqual(choose(params, TODAY, 1).notices, ())
        self.assertEqual(
            chosen_period(params, TODAY, 1),
            Period(D(2026, 1, 1), D(2026, 3, 31), PeriodKind.QUARTER),
        )
