"""Security settings a person relies on without seeing them: headers, CSRF, password hashing."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings
from django.urls import reverse

from followthrough import settings as production
from tests.cast import PASSWORD, BaseTestCase


class SecurityHeaderTests(BaseTestCase):
    def assert_secure_headers(self, response) -> None:
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        self.assertEqual(directives["default-src"], "'self'")
        self.assertEqual(directives["script-src"], "'self'")
        self.assertEqual(directives["style-src"], "'self'")
        self.assertEqual(directives["object-src"], "'none'")
        self.assertEqual(directives["frame-ancestors"], "'none'")
        self.assertNotIn("unsafe-inline", csp)
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")

    def test_the_login_page_sends_the_security_headers(self):
        self.assert_secure_headers(self.client.get(reverse("login")))

    def test_every_landing_page_sends_the_security_headers(self):
        for person, name in [
            (self.rep, "me"),
            (self.manager, "my_team"),
            (self.leader, "teams"),
            (self.admin, "settings"),
        ]:
            with self.subTest(page=name):
                self.login(person)
                response = self.client.get(reverse(name))
                self.assertEqual(response.status_code, 200)
                self.assert_secure_headers(response)

    def test_refusals_and_missing_pages_send_them_too(self):
        self.login(self.rep)
        self.assert_secure_headers(self.client.get(reverse("settings")))
        self.assert_secure_headers(self.client.get("/no/such/page/"))

    def test_pages_carry_no_inline_script_or_style_the_policy_would_block(self):
        self.login(self.admin)
        for name in ("me", "my_team", "teams", "settings", "people", "audit"):
            with self.subTest(page=name):
                html = self.client.get(reverse(name)).content.decode()
                # Data blocks (json_script) are never run, so the policy allows them.
                self.assertNotRegex(
                    html, r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>'
                )
                self.assertNotIn("<style", html)
                self.assertIsNone(re.search(r"\sstyle=", html))
                self.assertIsNone(re.search(r"\son[a-z]+=", html))

    def test_the_session_cookie_is_http_only_and_same_site(self):
        response = self.client.post(
            reverse("login"), {"username": "rita@acme.test", "password": PASSWORD}
        )
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

    def test_the_session_cookie_is_secure_when_served_over_https(self):
        with override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True):
            response = self.client.post(
                reverse("login"), {"username": "rita@acme.test", "password": PASSWORD}
            )
        self.assertTrue(response.cookies[settings.SESSION_COOKIE_NAME]["secure"])


class CsrfTests(BaseTestCase):
    def setUp(self) -> None:
        self.client = Client(enforce_csrf_checks=True)

    def token(self, url: str) -> str:
        self.client.get(url)
        return self.client.cookies[settings.CSRF_COOKIE_NAME].value

    def test_a_login_without_the_csrf_token_is_refused(self):
        response = self.client.post(
            reverse("login"), {"username": "rita@acme.test", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_login_with_the_token_from_the_form_succeeds(self):
        token = self.token(reverse("login"))
        response = self.client.post(
            reverse("login"),
            {"username": "rita@acme.test", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_a_settings_change_without_the_token_is_refused_and_changes_nothing(self):
        self.client.force_login(self.admin.user)
        response = self.client.post(
            reverse("settings"),
            {
                "name": "Hijacked",
                "timezone": "UTC",
                "fiscal_year_start_month": 1,
                "currency": "EUR",
            },
        )
        self.assertEqual(response.status_code, 403)
        self.org.refresh_from_db()
        self.assertEqual(self.org.name, "Acme")

    def test_a_logout_without_the_token_is_refused(self):
        self.client.force_login(self.rep.user)
        self.assertEqual(self.client.post(reverse("logout")).status_code, 403)
        self.assertIn("_auth_user_id", self.client.session)

    def test_a_password_reset_request_without_the_token_is_refused(self):
        response = self.client.post(reverse("password_reset"), {"email": "rita@acme.test"})
        self.assertEqual(response.status_code, 403)


PRODUCTION_HASHERS = production.PASSWORD_HASHERS


class PasswordHashingTests(BaseTestCase):
    def test_production_hashes_new_passwords_with_argon2id(self):
        with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
            encoded = make_password("a long passphrase")
            self.assertTrue(encoded.startswith("argon2$argon2id$"), encoded)
            self.assertTrue(check_password("a long passphrase", encoded))
            self.assertFalse(check_password("a wrong passphrase", encoded))

    def test_a_login_with_an_older_hash_upgrades_it_to_argon2(self):
        with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
            user = self.rep.user
            user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
            user.save(update_fields=["password"])
            response = self.client.post(
                reverse("login"), {"username": "rita@acme.test", "password": PASSWORD}
            )
            self.assertEqual(response.status_code, 302)
            user.refresh_from_db()
            self.assertTrue(user.password.startswith("argon2$argon2id$"), user.password)

    def test_passwords_shorter_than_ten_characters_are_refused(self):
        self.login(self.rep)
        response = self.client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Sh0rt!pw", "new_password2": "Sh0rt!pw"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["new_password2"])
