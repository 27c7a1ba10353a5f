"""A new login gets an invitation to choose its password, over real SMTP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from followthrough.people.models import Person
from tests.cast import BaseTestCase

PASSWORD = "nina's own passphrase"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/invitation/[^/\s]+/[^/\s]+/)")
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.usefixtures("smtp_server")
@override_settings(SITE_URL="http://127.0.0.1:8000", INVITATION_TIMEOUT=7 * 86400)
class InvitationTests(BaseTestCase):
    def add_nina(self, **extra):
        self.login(self.admin)
        data = {
            "name": "Nina",
            "email": "nina@acme.test",
            "role": "rep",
            "effective": "2025-04-01",
            "is_active": "on",
            "manager": self.manager.pk,
            "team": self.team.pk,
            "can_log_in": "on",
            **extra,
        }
        response = self.client.post(reverse("person_new"), data, follow=True)
        self.client.logout()
        return response

    def link(self, index: int = 0) -> str:
        body = self.mailbox.messages[index][2].get_content()
        found = LINK.search(body)
        self.assertIsNotNone(found, body)
        return found.group(1)

    def choose_password(self, link: str, password: str = PASSWORD):
        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, 'name="new_password1"')
        return self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": password, "new_password2": password},
            follow=True,
        )

    def log_in(self, password: str = PASSWORD):
        return self.client.post(
            reverse("login"), {"username": "nina@acme.test", "password": password}
        )

    def test_a_new_login_is_invited_chooses_a_password_and_logs_in(self):
        added = self.add_nina()
        self.assertContains(added, "An invitation to choose a password was sent to nina@acme.test")
        self.assertEqual(len(self.mailbox.messages), 1)
        _, recipients, message = self.mailbox.messages[0]
        self.assertEqual(recipients, ["nina@acme.test"])
        self.assertEqual(message["Subject"], "Your Followthrough login for Acme")
        self.assertIn("Hello Nina", message.get_content())
        self.assertIn("expires in 7 days", message.get_content())

        done = self.choose_password(self.link())
        self.assertRedirects(done, reverse("login"))
        self.assertContains(done, "Your password is set:")
        response = self.log_in()
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        nina = Person.objects.get(name="Nina")
        self.assertEqual(int(self.client.session["_auth_user_id"]), nina.user.pk)

    def test_the_invitation_works_only_once(self):
        self.add_nina()
        link = self.link()
        self.choose_password(link)
        again = self.client.get(link, follow=True)
        self.assertNotContains(again, 'name="new_password1"')
        self.assertContains(again, "This invitation no longer works")

    def test_the_invitation_expires_after_the_timeout_and_can_be_sent_again(self):
        with time_machine.travel(NOW, tick=False) as clock:
            self.add_nina()
            clock.move_to(NOW + dt.timedelta(days=7, seconds=1))
            expired = self.client.get(self.link(), follow=True)
            self.assertContains(expired, "This invitation no longer works")

            nina = Person.objects.get(name="Nina")
            self.login(self.admin)
            page = self.client.get(reverse("person", args=[nina.pk]))
            self.assertContains(page, "Send the invitation again")
            resent = self.client.post(reverse("person_invite", args=[nina.pk]), follow=True)
            self.assertContains(resent, "An invitation to choose a password was sent")
            self.client.logout()
            self.assertEqual(len(self.mailbox.messages), 2)
            self.choose_password(self.link(1))
            response = self.log_in()
            self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_an_invitation_does_not_outlive_a_revoked_login(self):
        self.add_nina()
        nina = Person.objects.get(name="Nina")
        nina.user.is_active = False
        nina.user.save()
        page = self.client.get(self.link(), follow=True)
        self.assertContains(page, "This invitation no longer works")

    def test_only_an_admin_may_send_an_invitation_again(self):
        self.add_nina()
        nina = Person.objects.get(name="Nina")
        for person in (self.manager, self.leader, self.rep, self.outsider):
            with self.subTest(person=person.name):
                self.login(person)
                response = self.client.post(reverse("person_invite", args=[nina.pk]))
                self.assertIn(response.status_code, (403, 404))
        self.client.logout()
        response = self.client.post(reverse("person_invite", args=[nina.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertEqual(len(self.mailbox.messages), 1)

    def test_a_login_with_a_password_is_not_invited_again(self):
        self.login(self.admin)
        response = self.client.post(reverse("person_invite", args=[self.rep.pk]), follow=True)
        self.assertContains(response, "has chosen a password already")
        self.assertNotContains(response, "Send the invitation again")
        self.assertEqual(self.mailbox.messages, [])

    def test_editing_an_invited_person_sends_no_second_invitation(self):
        self.add_nina()
        nina = Person.objects.get(name="Nina")
        self.login(self.admin)
        data = {
            "name": "Nina B.",
            "email": "nina@acme.test",
            "role": "rep",
            "effective": "2025-04-01",
            "is_active": "on",
            "manager": self.manager.pk,
            "team": self.team.pk,
            "can_log_in": "on",
        }
        self.client.post(reverse("person_edit", args=[nina.pk]), data)
        self.assertEqual(len(self.mailbox.messages), 1)

    def test_forgot_your_password_also_reaches_a_login_still_waiting_for_its_password(self):
        # Django sends nothing to a login without a usable password; the invited do get it.
        self.add_nina()
        self.client.post(reverse("password_reset"), {"email": "nina@acme.test"})
        self.assertEqual(len(self.mailbox.messages), 2)
        self.assertEqual(
            self.mailbox.messages[1][2]["Subject"], "Choose a new Followthrough password"
        )
