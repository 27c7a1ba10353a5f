"""The demo organisation `make run` loads: one login per role, landing where it should."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import TestCase

from followthrough.people.demo import DEMO_PASSWORD, logins
from followthrough.people.lines import reports_of
from followthrough.people.models import Organisation, Person, ReportingLine


class DemoTests(TestCase):
    def test_the_demo_builds_once_and_prints_a_login_per_role(self):
        out = io.StringIO()
        call_command("demo", "--if-empty", stdout=out)
        org = Organisation.objects.get(slug="demo")
        self.assertEqual(Person.objects.filter(organisation=org).count(), 12)
        for login in logins():
            self.assertIn(login.email, out.getvalue())
        call_command("demo", "--if-empty", stdout=io.StringIO())
        self.assertEqual(Organisation.objects.count(), 1)
        self.assertEqual(Person.objects.count(), 12)

    def test_each_demo_login_lands_on_its_roles_page(self):
        call_command("demo", stdout=io.StringIO())
        landing = {"rep": "/me/", "manager": "/team/", "leader": "/teams/", "admin": "/settings/"}
        for login in logins():
            self.client.logout()
            response = self.client.post(
                "/accounts/login/",
                {"username": login.email, "password": DEMO_PASSWORD},
                follow=True,
            )
            self.assertEqual(response.redirect_chain[-1][0], landing[login.role])

    def test_the_demo_has_a_rep_who_changed_teams(self):
        call_command("demo", stdout=io.StringIO())
        jonas = Person.objects.get(name="Jonas Weber")
        teams = [
            line.team.name
            for line in ReportingLine.objects.filter(person=jonas).order_by("valid_from")
        ]
        self.assertEqual(teams, ["Benelux", "DACH"])
        maya = Person.objects.get(name="Maya Manager")
        self.assertEqual(len(reports_of(maya)), 4)
