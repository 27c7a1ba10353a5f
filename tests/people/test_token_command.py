"""`followthrough token`: create, list and revoke personal access tokens from the CLI."""

from __future__ import annotations

import io
import re

from django.core.management import CommandError, call_command

from followthrough.audit.models import AuditEntry
from followthrough.people.models import AccessToken, RevokeReason
from followthrough.people.tokens import check_token, create_token
from tests.cast import BaseTestCase

PLAINTEXT = re.compile(r"ftp_[A-Za-z0-9_-]{43}")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


class TokenCommandTests(BaseTestCase):
    def test_create_prints_the_token_once_and_it_works(self):
        output = run("create", "--person", "Rita@acme.test", "--name", "nightly", "--days", "7")
        [plaintext] = PLAINTEXT.findall(output)
        self.assertEqual(check_token(plaintext).person, self.rep)
        token = AccessToken.objects.get()
        self.assertEqual((token.expires_at - token.created_at).days, 7)
        self.assertIn("shown once", output)

    def test_create_refuses_an_unknown_person_and_a_year_and_a_day(self):
        with self.assertRaisesMessage(CommandError, "no person"):
            run("create", "--person", "nobody@acme.test", "--name", "x")
        with self.assertRaisesMessage(CommandError, "1 to 365 days"):
            run("create", "--person", "rita@acme.test", "--name", "x", "--days", "366")
        self.assertFalse(AccessToken.objects.exists())

    def test_list_shows_a_persons_or_an_organisations_tokens_without_the_secret(self):
        rita = create_token(self.rep, "Rita script")
        create_token(self.rep2, "Rob script")
        create_token(self.outsider, "Globex script")
        mine = run("list", "--person", "rita@acme.test")
        self.assertIn("Rita script", mine)
        self.assertIn(f"{rita.token.token_prefix}…", mine)
        self.assertNotIn(rita.plaintext, mine)
        self.assertNotIn("Rob script", mine)
        acme = run("list", "--organisation", "acme")
        self.assertEqual(len(acme.splitlines()), 2)
        self.assertNotIn("Globex", acme)

    def test_revoke_stops_the_token_and_is_recorded_as_the_cli(self):
        new = create_token(self.rep, "script")
        AuditEntry.objects.all().delete()
        self.assertIn("revoked", run("revoke", str(new.token.pk)))
        new.token.refresh_from_db()
        self.assertEqual(new.token.revoke_reason, RevokeReason.BY_ADMIN)
        self.assertIsNone(check_token(new.plaintext).person)
        [entry] = AuditEntry.objects.all()
        self.assertEqual(entry.actor_name, "cli")
        self.assertIn("revoked", run("list", "--person", "rita@acme.test"))
        self.assertIn("already", run("revoke", str(new.token.pk)))

    def test_revoke_refuses_an_unknown_id(self):
        with self.assertRaisesMessage(CommandError, "no token 999"):
            run("revoke", "999")
