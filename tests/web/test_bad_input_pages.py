"""Bad input on pages: a clear message and a sane page, never a server error."""

from __future__ import annotations

import datetime as dt
import logging
from unittest import mock

import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from followthrough.web.errors import server_error
from tests.cast import PASSWORD, BaseTestCase

TODAY = dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
class OutOfRangePeriodTests(BaseTestCase):
    def test_my_scorecard_for_year_9999_shows_this_month_and_says_why(self):
        self.login(self.rep)
        response = self.client.get("/me/?kind=month&date=9999-12-31")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["period"].start, dt.date(2026, 12, 1))
        self.assertContains(response, "9999-12-31")
        self.assertContains(response, 'class="message warning"')

    def test_the_team_dashboard_for_year_1_shows_this_month_and_says_why(self):
        self.login(self.manager)
        response = self.client.get(f"/teams/{self.team.pk}/dashboard/?kind=week&date=0001-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["period"].start, dt.date(2026, 12, 7))
        self.assertContains(response, "0001-01-01")

    def test_a_reversed_custom_range_is_shown_swapped_with_a_notice(self):
        self.login(self.rep)
        response = self.client.get("/me/?kind=custom&start=2026-03-31&end=2026-01-01")
        self.assertEqual(response.context["period"].start, dt.date(2026, 1, 1))
        self.assertEqual(response.context["period"].end, dt.date(2026, 3, 31))
        self.assertContains(response, "swapped")

    def test_the_picker_keeps_todays_date_when_a_quarter_is_shown(self):
        self.login(self.rep)
        response = self.client.get("/me/?kind=quarter")
        self.assertContains(response, 'name="date" id="period-date" value="2026-12-07"')

    def test_an_export_of_an_out_of_range_period_is_refused_with_the_reason(self):
        self.login(self.manager)
        url = f"/teams/{self.team.pk}/dashboard/export.xlsx?kind=month&date=9999-12-31"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("9999-12-31", response.content.decode())


class ServerErrorPageTests(BaseTestCase):
    def test_the_500_page_keeps_the_layout_and_the_navigation_without_a_query(self):
        request = RequestFactory().get("/teams/")
        request.user = self.manager.user
        request.person = self.manager
        with self.assertNumQueries(0):
            response = server_error(request)
        html = response.content.decode()
        self.assertEqual(response.status_code, 500)
        self.assertIn('class="mainnav"', html)
        self.assertIn(f'href="{reverse("dashboard")}"', html)
        self.assertIn("Maya", html)
        self.assertIn("Something went wrong on our side", html)

    def test_the_500_page_does_not_load_an_unloaded_user(self):
        # The session may be what failed: an unevaluated user stays unevaluated.
        request = RequestFactory().get("/")
        request.user = SimpleLazyObject(lambda: self.fail("the user was loaded"))
        with self.assertNumQueries(0):
            response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn('class="topbar"', response.content.decode())
        self.assertNotIn('class="mainnav"', response.content.decode())

    def test_a_failing_layout_falls_back_to_the_bare_page(self):
        request = RequestFactory().get("/")
        with mock.patch("followthrough.web.errors.navigation_for", side_effect=RuntimeError):
            with self.assertLogs("followthrough.web.errors", "ERROR"):
                response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("Something went wrong on our side", response.content.decode())

    def test_a_server_error_through_the_client_shows_the_layout(self):
        client = Client(raise_request_exception=False)
        client.force_login(self.admin.user)
        with mock.patch("followthrough.audit.views.describe", side_effect=RuntimeError("boom")):
            with self.assertLogs("django.request", "ERROR") as logs:
                response = client.get(reverse("audit"))
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, 'class="mainnav"', status_code=500)
        # A 500 keeps its whole traceback in the log.
        self.assertIsNotNone(logs.records[0].exc_info)
        self.assertIn("Traceback", logs.output[0])


class RefusalLogTests(BaseTestCase):
    def test_a_refusal_is_logged_as_one_warning_line_without_a_traceback(self):
        self.login(self.rep)
        with self.assertLogs("django.request", "WARNING") as logs:
            response = self.client.get(reverse("settings"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(len(logs.records), 1)
        record = logs.records[0]
        self.assertEqual(record.levelno, logging.WARNING)
        self.assertIsNone(record.exc_info)
        self.assertEqual(len(logs.output[0].splitlines()), 1)
        self.assertNotIn("Traceback", logs.output[0])


class LoginMessageTests(BaseTestCase):
    def test_a_wrong_password_names_the_e_mail_address_not_a_username(self):
        response = self.client.post(
            reverse("login"), {"username": self.rep.email, "password": PASSWORD + "x"}
        )
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn("e-mail address", errors)
        self.assertNotIn("username", errors)
