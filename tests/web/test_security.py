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


@override_settings(LOGIN_ATTEMPTS=3, LOGIN_WINDOW=600)
class OneLoginLimitTests(BaseTestCase):
    """Every way in counts against one limit: the admin site has no login of its own."""

    def test_the_admin_sites_login_page_sends_people_to_the_one_login(self):
        response = self.client.get("/admin/login/?next=/admin/people/person/")
        self.assertRedirects(
            response,
            reverse("login") + "?next=%2Fadmin%2Fpeople%2Fperson%2F",
            fetch_redirect_response=False,
        )
        self.assertRedirects(
            self.client.get("/admin/"),
            "/admin/login/?next=/admin/",
            target_status_code=302,
        )

    def test_passwords_posted_to_the_admin_login_are_never_checked(self):
        response = self.client.post(
            "/admin/login/", {"username": "ada@acme.test", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_attempts_through_either_door_share_one_counter(self):
        # Two failures through the main login, one through the admin's door (which
        # ends at the main login): the admin's right password must then wait.
        for _ in range(2):
            self.client.post(reverse("login"), {"username": "ada@acme.test", "password": "x"})
        admin_door = self.client.get("/admin/login/?next=/admin/", follow=True)
        login_url = admin_door.redirect_chain[-1][0]
        self.client.post(login_url, {"username": "ada@acme.test", "password": "y"})
        response = self.client.post(
            login_url, {"username": "ada@acme.test", "password": PASSWORD, "next": "/admin/"}
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_admin_logging_in_through_the_admin_door_lands_in_the_admin_site(self):
        response = self.client.post(
            reverse("login"),
            {"username": "ada@acme.test", "password": PASSWORD, "next": "/admin/"},
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_someone_without_the_admin_site_is_refused_not_sent_round_in_circles(self):
        self.login(self.rep)
        self.assertEqual(self.client.get("/admin/login/?next=/admin/").status_code, 403)

    def test_the_admin_door_does_not_send_people_to_another_site(self):
        response = self.client.get("/admin/login/?next=https://evil.example/")
        self.assertRedirects(
            response, reverse("login") + "?next=%2Fadmin%2F", fetch_redirect_response=False
        )


class ClientAddressTests(BaseTestCase):
    def address(self, forwarded: str | None, **overrides) -> str:
        from django.test import RequestFactory

        from followthrough.web.auth import client_address

        extra = {"REMOTE_ADDR": "10.0.0.5"}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        with override_settings(**overrides):
            return client_address(RequestFactory().get("/", **extra))

    def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(self):
        self.assertEqual(self.address("198.51.100.9"), "10.0.0.5")
        with override_settings(HTTPS=True):
            self.assertEqual(self.address("198.51.100.9"), "10.0.0.5")

    def test_behind_one_proxy_the_last_entry_is_the_client(self):
        # The client wrote the first entry itself; the proxy appended the real one.
        self.assertEqual(
            self.address("203.0.113.66, 198.51.100.9", TRUSTED_PROXIES=1), "198.51.100.9"
        )

    def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(self):
        self.assertEqual(
            self.address("203.0.113.66, 198.51.100.9, 10.0.0.2", TRUSTED_PROXIES=2),
            "198.51.100.9",
        )

    def test_a_proxy_without_the_header_leaves_the_socket_address(self):
        self.assertEqual(self.address(None, TRUSTED_PROXIES=1), "10.0.0.5")

    @override_settings(LOGIN_ATTEMPTS=1, LOGIN_WINDOW=600)
    def test_a_forged_header_does_not_escape_the_per_address_limit(self):
        # Four failures per address (four accounts' worth), each with another forged header.
        for number in range(4):
            self.client.post(
                reverse("login"),
                {"username": f"guess{number}@acme.test", "password": "x"},
                REMOTE_ADDR="192.0.2.1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
            )
        response = self.client.post(
            reverse("login"),
            {"username": "rita@acme.test", "password": PASSWORD},
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR="198.51.100.200",
        )
        self.assertEqual(response.status_code, 429)


class NoStoreTests(BaseTestCase):
    def assert_no_store(self, response) -> None:
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_every_authenticated_page_and_export_is_marked_no_store(self):
        self.login(self.admin)
        for url in (
            reverse("me"),
            reverse("settings"),
            reverse("people"),
            reverse("person", args=[self.rep.pk]),
            reverse("team_export", args=[self.team.pk, "csv"]),
            "/api/v1/me/",
            "/no/such/page/",
        ):
            with self.subTest(url=url):
                self.assert_no_store(self.client.get(url))

    def test_api_calls_with_a_token_are_marked_no_store(self):
        from followthrough.people.tokens import create_token

        token = create_token(self.rep, "script").plaintext
        response = self.client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(response.status_code, 200)
        self.assert_no_store(response)


class SharedApiThrottleTests(BaseTestCase):
    """The API rate is counted in the database, so every process sees one count."""

    @override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/hour"}}
    )
    def test_the_fourth_call_in_an_hour_is_refused_even_from_another_process(self):
        from django.core.cache import cache

        self.login(self.rep)
        for _ in range(2):
            self.assertEqual(self.client.get("/api/v1/me/").status_code, 200)
        # Another process has its own memory: nothing of the count may live there.
        cache.clear()
        self.assertEqual(self.client.get("/api/v1/me/").status_code, 200)
        cache.clear()
        refused = self.client.get("/api/v1/me/")
        self.assertEqual(refused.status_code, 429)
        # 3600 s / 3 calls: one call comes back every 1,200 seconds.
        self.assertLessEqual(int(refused["Retry-After"]), 1200)
        self.assertGreater(int(refused["Retry-After"]), 1100)
        self.login(self.rep2)
        self.assertEqual(self.client.get("/api/v1/me/").status_code, 200)


SHIPPED = """
import json
from followthrough import settings as s
print(json.dumps({name: getattr(s, name, None) for name in %r}, default=str))
"""
SECURITY_SETTINGS = [
    "DEBUG",
    "LOGIN_ATTEMPTS",
    "LOGIN_WINDOW",
    "TRUSTED_PROXIES",
    "PASSWORD_RESET_TIMEOUT",
    "INVITATION_TIMEOUT",
    "PASSWORD_HASHERS",
    "AUTH_PASSWORD_VALIDATORS",
    "REST_FRAMEWORK",
    "MIDDLEWARE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_AGE",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "LANGUAGE_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "ALLOWED_HOSTS",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "UPLOAD_MAX_BYTES",
    "IMPORT_MAX_BYTES",
]


def shipped_settings(tmp_path, **env: str) -> dict:
    """followthrough.settings as a fresh process reads it with no setting in the environment."""
    import json
    import os
    import subprocess
    import sys

    environment = {
        "PATH": os.environ.get("PATH", ""),
        "FOLLOWTHROUGH_VAR": str(tmp_path),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", SHIPPED % (SECURITY_SETTINGS,)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_shipped_security_defaults_are_the_documented_ones(tmp_path):
    shipped = shipped_settings(tmp_path)
    assert shipped["DEBUG"] is False
    # Five failed logins per account in fifteen minutes; twenty per address.
    assert (shipped["LOGIN_ATTEMPTS"], shipped["LOGIN_WINDOW"]) == (5, 900)
    assert shipped["TRUSTED_PROXIES"] == 0
    assert shipped["PASSWORD_RESET_TIMEOUT"] == 3 * 3600
    assert shipped["INVITATION_TIMEOUT"] == 7 * 86400
    assert shipped["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    minimum = [v for v in shipped["AUTH_PASSWORD_VALIDATORS"] if "MinimumLength" in v["NAME"]]
    assert minimum[0]["OPTIONS"] == {"min_length": 10}
    assert len(shipped["AUTH_PASSWORD_VALIDATORS"]) == 4
    api = shipped["REST_FRAMEWORK"]
    assert api["DEFAULT_THROTTLE_CLASSES"] == ["followthrough.api.throttling.SharedRateThrottle"]
    assert api["DEFAULT_THROTTLE_RATES"] == {"user": "6000/hour"}
    assert api["DEFAULT_PERMISSION_CLASSES"] == ["followthrough.api.permissions.IsPerson"]
    for middleware in (
        "django.middleware.security.SecurityMiddleware",
        "followthrough.web.middleware.SecurityHeadersMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ):
        assert middleware in shipped["MIDDLEWARE"]
    assert shipped["SESSION_COOKIE_HTTPONLY"] is True
    assert shipped["SESSION_COOKIE_SAMESITE"] == shipped["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert shipped["SESSION_COOKIE_AGE"] == 14 * 24 * 3600
    assert shipped["CSRF_TRUSTED_ORIGINS"] == []
    assert shipped["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert shipped["SECURE_REFERRER_POLICY"] == "same-origin"
    assert shipped["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert shipped["X_FRAME_OPTIONS"] == "DENY"
    assert shipped["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert shipped["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 5 * 1024 * 1024
    assert shipped["FILE_UPLOAD_MAX_MEMORY_SIZE"] == 5 * 1024 * 1024
    assert shipped["UPLOAD_MAX_BYTES"] == 200 * 1024 * 1024
    assert shipped["IMPORT_MAX_BYTES"] == 4 * 1024**3
    # Plain HTTP on a laptop: cookies cannot be Secure, and HSTS would lock the browser out.
    assert shipped["SESSION_COOKIE_SECURE"] is False
    assert shipped["SECURE_HSTS_SECONDS"] is None


def test_under_https_cookies_are_secure_and_hsts_lasts_a_year(tmp_path):
    shipped = shipped_settings(tmp_path, HTTPS="true")
    assert shipped["SESSION_COOKIE_SECURE"] is True
    assert shipped["CSRF_COOKIE_SECURE"] is True
    assert shipped["LANGUAGE_COOKIE_SECURE"] is True
    assert shipped["SECURE_SSL_REDIRECT"] is True
    assert shipped["SECURE_HSTS_SECONDS"] == 31536000
    assert shipped["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
