"""One date format per language, and numbers grouped by thousands in every language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.urls import reverse
from django.utils import translation

from followthrough.lib.periods import Period
from followthrough.metrics.labels import format_number, format_value, period_label
from tests.cast import BaseTestCase
from tests.scorecards.builders import TODAY, build_sales

RANGE = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def test_numbers_are_grouped_by_thousands_in_every_language():
    expected = {"en": "1,234,567", "zh-hans": "1,234,567", "nl": "1.234.567"}
    for language, text in expected.items():
        with translation.override(language):
            assert format_value(Decimal(1234567), "count") == text
            assert format_number(Decimal(1234567)) == text


def test_a_custom_range_is_named_with_the_languages_date_format():
    expected = {
        "en": "1 Jan 2026 – 31 Jan 2026",
        "zh-hans": "2026年1月1日 – 2026年1月31日",
        "nl": "1 januari 2026 – 31 januari 2026",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert period_label(RANGE) == text


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class DrillDownDatesTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_sales(cls)

    def test_drill_down_rows_use_the_date_format_of_the_rest_of_the_page(self):
        self.login(self.manager)
        url = reverse("person_records", args=[self.rep.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2026-03-01", HTTP_ACCEPT_LANGUAGE="en")
        self.assertContains(response, "2 Mar 2026")
        self.assertNotContains(response, "03/02/2026")
        self.assertContains(response, "3,000")
