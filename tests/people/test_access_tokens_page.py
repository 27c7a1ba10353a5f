"""The API tokens page: a person makes, sees once and revokes their own tokens."""

from __future__ import annotations

import re

from django.urls import reverse

from followthrough.people.models import AccessToken, RevokeReason
from followthrough.people.tokens import check_token, create_token
from tests.cast import BaseTestCase

PAGE = reverse("access_tokens")
PLAINTEXT = re.compile(r"ftp_[A-Za-z0-9_-]{43}")


class TokensPageTests(BaseTestCase):
    def test_the_account_area_links_to_the_page(self):
        self.login(self.rep)
        self.assertContains(self.client.get(reverse("home"), follow=True), f'href="{PAGE}"')

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(PAGE)
        self.assertRedirects(response, f"{reverse('login')}?next={PAGE}")

    def test_a_new_token_is_shown_once_and_works(self):
        self.login(self.rep)
        response = self.client.post(PAGE, {"name": "Weekly report", "days": "30"})
        self.assertEqual(response.status_code, 200)
        [plaintext] = set(PLAINTEXT.findall(response.content.decode()))
        self.assertContains(response, "shown only once")
        self.assertEqual(check_token(plaintext).person, self.rep)
        token = AccessToken.objects.get(person=self.rep)
        self.assertEqual(
            (token.name, (token.expires_at - token.created_at).days), ("Weekly report", 30)
        )
        # The list shows its prefix; the whole token never again.
        again = self.client.get(PAGE).content.decode()
        self.assertIn(f"{token.token_prefix}…", again)
        self.assertNotIn(plaintext, again)
        self.assertIn("Weekly report", again)

    def test_the_page_lists_only_the_persons_own_tokens(self):
        create_token(self.rep, "Mine")
        create_token(self.rep2, "Robs script")
        self.login(self.rep)
        body = self.client.get(PAGE).content.decode()
        self.assertIn("Mine", body)
        self.assertNotIn("Robs script", body)

    def test_a_missing_name_or_an_unoffered_expiry_is_a_field_error(self):
        self.login(self.rep)
        for data, field in (
            ({"name": "  ", "days": "90"}, "name"),
            ({"name": "x", "days": "1000"}, "days"),
        ):
            with self.subTest(field=field):
                response = self.client.post(PAGE, data)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors[field])
        self.assertFalse(AccessToken.objects.exists())

    def test_the_owner_revokes_a_token(self):
        new = create_token(self.rep, "script")
        self.login(self.rep)
        response = self.client.post(reverse("access_token_revoke", args=[new.token.pk]))
        self.assertRedirects(response, PAGE)
        new.token.refresh_from_db()
        self.assertEqual(new.token.revoke_reason, RevokeReason.BY_OWNER)
        self.assertEqual(new.token.revoked_by, self.rep)
        self.assertIsNone(check_token(new.plaintext).person)

    def test_nobody_else_can_revoke_it_not_even_an_admin_or_an_outsider(self):
        new = create_token(self.rep, "script")
        url = reverse("access_token_revoke", args=[new.token.pk])
        for who in (self.rep2, self.manager, self.admin, self.outsider):
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(self.client.post(url).status_code, 404)
        self.assertEqual(check_token(new.plaintext).person, self.rep)

    def test_revoking_takes_a_post(self):
        new = create_token(self.rep, "script")
        self.login(self.rep)
        response = self.client.get(reverse("access_token_revoke", args=[new.token.pk]))
        self.assertEqual(response.status_code, 405)
