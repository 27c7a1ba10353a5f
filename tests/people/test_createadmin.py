"""`followthrough createadmin` creates an organisation's admin who can log in."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command
from django.test import TestCase

from followthrough.audit.models import AuditEntry
from followthrough.people.models import Organisation, Person, Role


class CreateAdminTests(TestCase):
    def run_command(self, password: str, *extra: str) -> str:
        out = io.StringIO()
        stdin = io.StringIO(password + "\n")
        import sys

        old, sys.stdin = sys.stdin, stdin
        try:
            call_command(
                "createadmin",
                "--email",
                "Boss@Example.com",
                "--name",
                "Bo Boss",
                "--organisation",
                "Initech",
                "--password-stdin",
                *extra,
                stdout=out,
            )
        finally:
            sys.stdin = old
        return out.getvalue()

    def test_it_creates_the_organisation_and_an_admin_who_can_log_in(self):
        output = self.run_command("a long enough passphrase")
        self.assertIn("Created organisation Initech", output)
        person = Person.objects.get(email="boss@example.com")
        self.assertEqual((person.role, person.organisation.name), (Role.ADMIN, "Initech"))
        self.assertTrue(person.user.is_staff)
        self.assertFalse(person.user.is_superuser)
        self.assertTrue(
            self.client.login(username="boss@example.com", password="a long enough passphrase")
        )
        self.assertTrue(AuditEntry.objects.filter(actor_name="createadmin").exists())

    def test_it_refuses_weak_passwords_and_duplicates(self):
        with self.assertRaises(CommandError):
            self.run_command("123")
        self.assertFalse(Organisation.objects.exists())
        self.run_command("a long enough passphrase")
        with self.assertRaises(CommandError):
            self.run_command("another long passphrase")
