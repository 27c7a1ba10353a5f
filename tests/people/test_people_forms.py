"""Admins add and edit people and teams; bad input gets field errors, never a 500."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from followthrough.people.lines import team_on
from followthrough.people.models import Person, Team
from tests.cast import BaseTestCase


class PersonFormTests(BaseTestCase):
    def setUp(self):
        self.login(self.admin)

    def post_person(self, pk=None, **data):
        url = reverse("person_edit", args=[pk]) if pk else reverse("person_new")
        base = {"name": "Nina", "role": "rep", "effective": "2025-04-01", "is_active": "on"}
        return self.client.post(url, {**base, **data})

    def test_an_admin_adds_a_rep_to_a_team(self):
        response = self.post_person(
            name="Nina",
            email="NINA@acme.test",
            manager=self.manager.pk,
            team=self.team.pk,
            can_log_in="on",
        )
        nina = Person.objects.get(name="Nina")
        self.assertRedirects(response, reverse("person", args=[nina.pk]))
        self.assertEqual(nina.email, "nina@acme.test")
        self.assertEqual(nina.user.username, "nina@acme.test")
        self.assertFalse(nina.user.has_usable_password())
        self.assertEqual(team_on(nina, dt.date(2025, 4, 1)), self.team)
        self.assertIsNone(team_on(nina, dt.date(2025, 3, 31)))

    def test_moving_a_rep_keeps_the_old_line(self):
        data = {
            "name": "Rita",
            "email": "rita@acme.test",
            "manager": self.other_manager.pk,
            "team": self.other_team.pk,
            "effective": "2025-06-01",
            "can_log_in": "on",
        }
        self.post_person(self.rep.pk, **data)
        self.assertEqual(team_on(self.rep, dt.date(2025, 5, 31)), self.team)
        self.assertEqual(team_on(self.rep, dt.date(2025, 6, 1)), self.other_team)

    def test_bad_input_gets_field_errors(self):
        cases = [
            ({"name": ""}, "name"),
            ({"email": "not-an-address"}, "email"),
            ({"email": "", "can_log_in": "on"}, "email"),
            ({"role": "emperor"}, "role"),
            ({"effective": "2017-02-30"}, "effective"),
            ({"role_since": "yesterday"}, "role_since"),
            ({"manager": "999999"}, "manager"),
            ({"manager": str(self.outsider.pk)}, "manager"),
            ({"team": str(self.outsider_team.pk)}, "team"),
            ({"email": "maya@acme.test"}, "email"),
            ({"name": "x" * 300}, "name"),
        ]
        for data, field in cases:
            with self.subTest(data=data):
                response = self.post_person(**data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Person.objects.filter(name="Nina").exists())

    def test_a_manager_loop_is_refused(self):
        data = {"name": "Maya", "role": "manager", "manager": self.rep.pk, "team": self.team.pk}
        response = self.post_person(self.manager.pk, **data)
        self.assertIn("manager", response.context["form"].errors)

    def test_duplicate_external_ids_are_refused(self):
        self.rep.external_id = "crm-1"
        self.rep.save()
        response = self.post_person(external_id="crm-1")
        self.assertIn("external_id", response.context["form"].errors)

    def test_unticking_can_log_in_disables_the_login(self):
        self.post_person(self.rep.pk, name="Rita", email="rita@acme.test", role="rep")
        self.rep.user.refresh_from_db()
        self.assertFalse(self.rep.user.is_active)


class TeamAndOrganisationFormTests(BaseTestCase):
    def setUp(self):
        self.login(self.admin)

    def test_an_admin_adds_a_team_under_a_region(self):
        self.client.post(
            reverse("team_new"), {"name": "Gamma", "kind": "team", "parent": self.region.pk}
        )
        self.assertEqual(Team.objects.get(organisation=self.org, name="Gamma").parent, self.region)

    def test_a_team_cannot_be_its_own_ancestor(self):
        response = self.client.post(
            reverse("team_edit", args=[self.region.pk]),
            {"name": "North", "kind": "region", "parent": self.team.pk},
        )
        self.assertIn("parent", response.context["form"].errors)

    def test_team_names_are_unique_in_an_organisation(self):
        response = self.client.post(reverse("team_new"), {"name": "alpha", "kind": "team"})
        self.assertIn("name", response.context["form"].errors)

    def test_organisation_settings_validate_each_field(self):
        response = self.client.post(
            reverse("settings"),
            {
                "name": "",
                "timezone": "Mars/Olympus",
                "fiscal_year_start_month": "13",
                "currency": "EURO",
            },
        )
        self.assertEqual(
            set(response.context["form"].errors),
            {"name", "timezone", "fiscal_year_start_month", "currency"},
        )
        response = self.client.post(
            reverse("settings"),
            {
                "name": "Acme Inc",
                "timezone": "Europe/Amsterdam",
                "fiscal_year_start_month": "4",
                "currency": "eur",
            },
        )
        self.assertRedirects(response, reverse("settings"))
        self.org.refresh_from_db()
        self.assertEqual(
            (self.org.name, self.org.currency, self.org.fiscal_year_start_month),
            ("Acme Inc", "EUR", 4),
        )
