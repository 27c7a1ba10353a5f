"""Login attempts are limited per account and per client address."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import override_settings
from django.urls import reverse

from tests.cast import PASSWORD, BaseTestCase

# Three attempts per account and, four times as many, twelve per address, in ten minutes.
ATTEMPTS = 3
WINDOW = 600
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@override_settings(LOGIN_ATTEMPTS=ATTEMPTS, LOGIN_WINDOW=WINDOW)
class LoginRateLimitTests(BaseTestCase):
    def attempt(self, username: str, password: str, address: str = "203.0.113.7"):
        return self.client.post(
            reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def assert_logged_in(self, person) -> None:
        self.assertEqual(int(self.client.session["_auth_user_id"]), person.user.pk)

    def assert_refused_for_now(self, response) -> None:
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many login attempts", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_three_wrong_passwords_make_even_the_right_one_wait(self):
        # Only failures count: the allowance is for guesses, not for logging in.
        with time_machine.travel(NOW, tick=False):
            for _ in range(ATTEMPTS):
                self.assertEqual(self.attempt("rita@acme.test", "wrong guess").status_code, 200)
            self.assert_refused_for_now(self.attempt("rita@acme.test", PASSWORD))

    def test_the_account_is_limited_whatever_the_address(self):
        with time_machine.travel(NOW, tick=False):
            for number in range(ATTEMPTS):
                self.attempt("rita@acme.test", "wrong guess", address=f"198.51.100.{number}")
            self.assert_refused_for_now(
                self.attempt("rita@acme.test", PASSWORD, address="192.0.2.99")
            )

    def test_the_account_limit_ignores_case_and_spaces_in_the_login_name(self):
        with time_machine.travel(NOW, tick=False):
            for name in ("rita@acme.test", "RITA@acme.test", " Rita@Acme.test "):
                self.attempt(name, "wrong guess")
            self.assert_refused_for_now(self.attempt("rita@acme.test", PASSWORD))

    def test_one_address_guessing_many_accounts_is_stopped_after_twelve_attempts(self):
        with time_machine.travel(NOW, tick=False):
            for number in range(ATTEMPTS * 4):
                response = self.attempt(f"guess{number}@acme.test", "wrong guess")
                self.assertEqual(response.status_code, 200)
            # Rob has never been tried, yet from this address he must wait too.
            self.assert_refused_for_now(self.attempt("rob@acme.test", PASSWORD))
            self.client.logout()
            response = self.attempt("rob@acme.test", PASSWORD, address="192.0.2.99")
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
            self.assert_logged_in(self.rep2)

    def test_another_account_from_another_address_is_not_affected(self):
        with time_machine.travel(NOW, tick=False):
            for _ in range(ATTEMPTS + 2):
                self.attempt("rita@acme.test", "wrong guess")
            response = self.attempt("rob@acme.test", PASSWORD, address="192.0.2.99")
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_one_attempt_comes_back_every_window_divided_by_the_limit(self):
        with time_machine.travel(NOW, tick=False) as clock:
            for _ in range(ATTEMPTS):
                self.attempt("rita@acme.test", "wrong guess")
            # 600 s / 3 attempts: one attempt refills every 200 seconds.
            clock.move_to(NOW + dt.timedelta(seconds=199))
            self.assert_refused_for_now(self.attempt("rita@acme.test", PASSWORD))
            clock.move_to(NOW + dt.timedelta(seconds=200))
            response = self.attempt("rita@acme.test", PASSWORD)
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
            self.assert_logged_in(self.rep)

    def test_the_refusal_is_shown_on_the_login_form_in_the_chosen_language(self):
        with time_machine.travel(NOW, tick=False):
            for _ in range(ATTEMPTS):
                self.attempt("rita@acme.test", "wrong guess")
            response = self.client.post(
                reverse("login"),
                {"username": "rita@acme.test", "password": PASSWORD},
                HTTP_ACCEPT_LANGUAGE="nl",
            )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, 'name="password"', status_code=429)
        self.assertContains(response, "Te veel inlogpogingen", status_code=429)

    def test_logging_in_and_out_often_uses_up_nothing(self):
        with time_machine.travel(NOW, tick=False):
            for _ in range(ATTEMPTS * 4 + 1):
                response = self.attempt("rita@acme.test", PASSWORD)
                self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
                self.client.logout()

    def test_a_refused_attempt_does_not_push_the_wait_further_out(self):
        with time_machine.travel(NOW, tick=False) as clock:
            for _ in range(ATTEMPTS):
                self.attempt("rita@acme.test", "wrong guess")
            for seconds in (50, 100, 150):
                clock.move_to(NOW + dt.timedelta(seconds=seconds))
                self.assertEqual(self.attempt("rita@acme.test", PASSWORD).status_code, 429)
            clock.move_to(NOW + dt.timedelta(seconds=200))
            response = self.attempt("rita@acme.test", PASSWORD)
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_login_names_and_addresses_are_not_stored_in_the_clear(self):
        from followthrough.web.models import TokenBucket

        with time_machine.travel(NOW, tick=False):
            self.attempt("rita@acme.test", "wrong guess")
        keys = list(TokenBucket.objects.values_list("key", flat=True))
        self.assertEqual(len(keys), 2)
        for key in keys:
            self.assertNotIn("rita", key)
            self.assertNotIn("203.0.113.7", key)
