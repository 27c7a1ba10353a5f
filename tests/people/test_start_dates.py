"""A start in a role or on a team is history or the near future, never 2099."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase
from django.urls import reverse

from followthrough.lib.validators import start_bounds, validate_start, validate_supported_day
from tests.cast import BaseTestCase

TODAY = dt.date(2026, 12, 7)


class StartBoundTests(SimpleTestCase):
    def test_a_start_may_lie_up_to_a_year_ahead_and_eighty_years_back(self):
        # 366 days after 7 December 2026 is 8 December 2027; 80 years back, from the 1st.
        self.assertEqual(start_bounds(TODAY), (dt.date(1946, 12, 1), dt.date(2027, 12, 8)))
        for day in (dt.date(1946, 12, 1), TODAY, dt.date(2027, 12, 8)):
            validate_start(day, TODAY)
        for day in (dt.date(1946, 11, 30), dt.date(2027, 12, 9), dt.date(2099, 1, 1)):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                validate_start(day, TODAY)

    def test_a_missing_date_is_left_to_the_field_itself(self):
        validate_start(None, TODAY)
        validate_supported_day(None)

    def test_days_outside_the_supported_range_are_refused(self):
        validate_supported_day(dt.date(2199, 12, 31))
        for day in (dt.date(1899, 12, 31), dt.date(9999, 12, 31)):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                validate_supported_day(day)


@time_machine.travel(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC), tick=False)
class PersonFormStartTests(BaseTestCase):
    def post_person(self, **data):
        self.login(self.admin)
        base = {"name": "Nina", "role": "rep", "effective": "2026-04-01", "is_active": "on"}
        return self.client.post(reverse("person_new"), {**base, **data})

    def test_in_role_since_2099_is_a_field_error(self):
        response = self.post_person(role_since="2099-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertIn("role_since", response.context["form"].errors)

    def test_in_role_since_1900_is_a_field_error(self):
        response = self.post_person(role_since="1900-01-01")
        self.assertIn("role_since", response.context["form"].errors)

    def test_a_team_change_from_2099_is_a_field_error(self):
        response = self.post_person(effective="2099-01-01")
        self.assertIn("effective", response.context["form"].errors)

    def test_next_month_is_accepted(self):
        response = self.post_person(role_since="2027-01-01", effective="2027-01-01")
        self.assertEqual(response.status_code, 302)
