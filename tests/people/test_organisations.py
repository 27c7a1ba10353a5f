"""Every command's `--organisation` takes the slug, or the name where it is unambiguous."""

from __future__ import annotations

import io
import sys

from django.core.management import CommandError, call_command
from django.test import TestCase

from followthrough.people.models import Organisation, Person
from followthrough.people.organisations import find_organisation, organisation_from


class OrganisationLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.acme = Organisation.objects.create(name="Acme Europe", slug="acme-eu")
        cls.twin_a = Organisation.objects.create(name="Globex", slug="globex-a")
        cls.twin_b = Organisation.objects.create(name="globex", slug="globex-b")

    def test_the_slug_finds_the_organisation(self):
        self.assertEqual(organisation_from("acme-eu"), self.acme)

    def test_the_name_finds_it_too_whatever_its_case(self):
        self.assertEqual(organisation_from("acme europe"), self.acme)

    def test_a_slug_wins_over_another_organisations_name(self):
        clash = Organisation.objects.create(name="acme-eu", slug="other")
        self.assertEqual(organisation_from("acme-eu"), self.acme)
        self.assertEqual(organisation_from("other"), clash)

    def test_a_name_two_organisations_share_is_refused_with_their_slugs(self):
        with self.assertRaisesMessage(
            CommandError,
            "several organisations are called 'Globex': give its short name instead "
            "(globex-a, globex-b)",
        ):
            organisation_from("Globex")

    def test_an_unknown_organisation_is_refused_clearly(self):
        with self.assertRaisesMessage(
            CommandError, "no organisation with the short name or name 'Initech'"
        ):
            organisation_from("Initech")
        self.assertIsNone(find_organisation("Initech"))

    def test_several_organisations_and_none_named_is_refused(self):
        with self.assertRaisesMessage(CommandError, "name one with --organisation SLUG"):
            organisation_from(None)


class CommandsTakeSlugOrNameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.acme = Organisation.objects.create(name="Acme Europe", slug="acme-eu")
        Organisation.objects.create(name="Other", slug="other")

    def createadmin(self, email: str, organisation: str) -> str:
        out = io.StringIO()
        old, sys.stdin = sys.stdin, io.StringIO("a long enough passphrase\n")
        try:
            call_command(
                "createadmin",
                "--email",
                email,
                "--name",
                "Bo Boss",
                "--organisation",
                organisation,
                "--password-stdin",
                stdout=out,
            )
        finally:
            sys.stdin = old
        return out.getvalue()

    def test_createadmin_adds_to_the_organisation_named_by_its_slug(self):
        output = self.createadmin("bo@acme.test", "acme-eu")
        self.assertIn("Added admin to Acme Europe (short name acme-eu)", output)
        self.assertEqual(Person.objects.get(email="bo@acme.test").organisation, self.acme)
        self.assertEqual(Organisation.objects.count(), 2)

    def test_createadmin_adds_to_the_organisation_named_by_its_name(self):
        self.createadmin("bo@acme.test", "ACME Europe")
        self.assertEqual(Person.objects.get(email="bo@acme.test").organisation, self.acme)

    def test_createadmin_creates_a_new_organisation_with_a_free_slug(self):
        Organisation.objects.create(name="Initech Old", slug="initech")
        output = self.createadmin("bo@initech.test", "Initech")
        org = Person.objects.get(email="bo@initech.test").organisation
        self.assertEqual((org.name, org.slug), ("Initech", "initech-2"))
        self.assertIn("Created organisation Initech (short name initech-2)", output)

    def test_metrics_export_takes_the_name_as_well_as_the_slug(self):
        for value in ("acme-eu", "Acme Europe"):
            with self.subTest(value=value):
                out = io.StringIO()
                call_command(
                    "metrics",
                    "export",
                    "--from",
                    "2026-01-01",
                    "--to",
                    "2026-01-31",
                    "--metric",
                    "deals_won",
                    "--organisation",
                    value,
                    stdout=out,
                )
                self.assertTrue(out.getvalue().startswith("person,"), out.getvalue())

    def test_metrics_export_refuses_an_unknown_organisation(self):
        with self.assertRaisesMessage(CommandError, "no organisation with the short name or name"):
            call_command(
                "metrics",
                "export",
                "--from",
                "2026-01-01",
                "--to",
                "2026-01-31",
                "--organisation",
                "Nowhere",
                stdout=io.StringIO(),
            )
