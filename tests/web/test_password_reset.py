"""Password reset by e-mail over real SMTP, received by a local SMTP server."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.cast import PASSWORD, BaseTestCase

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.mark.usefixtures("smtp_server")
class PasswordResetOverSmtpTests(BaseTestCase):
    def request_reset(self, address: str):
        return self.client.post(reverse("password_reset"), {"email": address})

    def test_a_rep_resets_a_forgotten_password_from_the_e_mail_and_logs_in_with_it(self):
        response = self.request_reset("rita@acme.test")
        self.assertRedirects(response, reverse("password_reset_done"))

        self.assertEqual(len(self.mailbox.messages), 1)
        sender, recipients, message = self.mailbox.messages[0]
        self.assertEqual(sender, "ft@acme.test")
        self.assertEqual(recipients, ["rita@acme.test"])
        self.assertEqual(message["Subject"], "Choose a new Followthrough password")
        body = message.get_content()
        self.assertIn("rita@acme.test", body)
        link = LINK.search(body)
        self.assertIsNotNone(link, body)

        # The link swaps its token for a session and shows the form to choose a password.
        form_page = self.client.get(link.group(1), follow=True)
        self.assertEqual(form_page.status_code, 200)
        self.assertContains(form_page, 'name="new_password1"')
        done = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(done, reverse("password_reset_complete"))

        self.client.logout()
        old = self.client.post(
            reverse("login"), {"username": "rita@acme.test", "password": PASSWORD}
        )
        self.assertEqual(old.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        new = self.client.post(
            reverse("login"), {"username": "rita@acme.test", "password": NEW_PASSWORD}
        )
        self.assertRedirects(new, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.rep.user.pk)

    def test_the_link_works_only_once(self):
        self.request_reset("rita@acme.test")
        link = LINK.search(self.mailbox.messages[0][2].get_content()).group(1)
        form_page = self.client.get(link, follow=True)
        self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.client.logout()
        again = self.client.get(link, follow=True)
        self.assertNotContains(again, 'name="new_password1"')
        self.assertContains(again, "This link no longer works")

    def test_an_unknown_address_sends_nothing_and_reveals_nothing(self):
        response = self.request_reset("nobody@acme.test")
        self.assertRedirects(response, reverse("password_reset_done"))
        self.assertEqual(self.mailbox.messages, [])

    def test_mismatched_new_passwords_get_a_field_error_and_change_nothing(self):
        self.request_reset("rita@acme.test")
        link = LINK.search(self.mailbox.messages[0][2].get_content()).group(1)
        form_page = self.client.get(link, follow=True)
        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "!"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["new_password2"])
        self.rep.user.refresh_from_db()
        self.assertTrue(self.rep.user.check_password(PASSWORD))
