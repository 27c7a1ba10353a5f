"""Every change to people, teams and reporting lines is kept: who, when, before, after."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from followthrough.audit.context import acting_as
from followthrough.audit.models import AuditEntry
from followthrough.audit.registry import history_for
from followthrough.people.lines import move
from followthrough.people.models import Person
from tests.cast import BaseTestCase


class AuditHistoryTests(BaseTestCase):
    def test_an_edit_through_the_page_records_who_and_what_changed(self):
        self.login(self.admin)
        self.client.post(
            reverse("person_edit", args=[self.rep.pk]),
            {
                "name": "Rita",
                "email": "rita@acme.test",
                "title": "Senior AE",
                "role_since": "2024-01-01",
                "role": "rep",
                "effective": "2024-01-01",
                "manager": self.manager.pk,
                "team": self.team.pk,
                "can_log_in": "on",
                "is_active": "on",
            },
        )
        entry = history_for(self.rep).get(action="update")
        self.assertEqual(entry.actor, self.admin.user)
        self.assertEqual(entry.actor_name, "ada@acme.test")
        self.assertEqual(entry.changes, {"title": ["", "Senior AE"]})
        self.assertEqual(entry.organisation_id, self.org.pk)

    def test_moves_and_deletes_are_recorded_with_before_and_after(self):
        with acting_as(self.admin.user):
            move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
        entries = AuditEntry.objects.filter(content_type__model="reportingline").order_by("pk")
        closing, opening = list(entries)[-2:]
        self.assertEqual(closing.changes, {"valid_to": [None, "2025-02-28"]})
        self.assertEqual(opening.action, "create")
        self.assertEqual(opening.changes["team"], [None, self.other_team.pk])
        team_pk = self.other_team.pk
        with acting_as(name="cleanup-script"):
            self.other_rep.reporting_lines.all().delete()
            self.other_rep.delete()
        deleted = AuditEntry.objects.filter(action="delete", content_type__model="person").get()
        self.assertEqual(deleted.actor_name, "cleanup-script")
        self.assertEqual(deleted.changes["name"], ["Olga", None])
        self.assertTrue(team_pk)

    def test_changes_outside_a_request_are_attributed_to_the_system(self):
        self.team.name = "Alpha One"
        self.team.save()
        entry = history_for(self.team).get(action="update")
        self.assertEqual((entry.actor, entry.actor_name), (None, "system"))
        self.assertEqual(entry.changes, {"name": ["Alpha", "Alpha One"]})

    def test_saving_without_a_change_records_nothing(self):
        before = AuditEntry.objects.count()
        self.rep.save()
        self.assertEqual(AuditEntry.objects.count(), before)

    def test_history_is_shown_to_who_may_see_the_person_and_no_one_else(self):
        self.rep.title = "Hunter"
        self.rep.save()
        url = reverse("person_history", args=[self.rep.pk])
        for who in (self.rep, self.manager, self.leader, self.admin):
            self.login(who)
            self.assertContains(self.client.get(url), "Hunter")
        for who in (self.rep2, self.other_manager):
            self.login(who)
            self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_audit_page_shows_only_the_admins_organisation(self):
        self.outsider_rep.title = "Secret title"
        self.outsider_rep.save()
        self.rep.title = "Visible title"
        self.rep.save()
        self.login(self.admin)
        body = self.client.get(reverse("audit")).content.decode()
        self.assertIn("Visible title", body)
        self.assertNotIn("Secret title", body)
        self.assertEqual(
            self.client.get(reverse("audit"), {"kind": "abc", "page": "x"}).status_code, 200
        )

    def test_older_pages_keep_the_kind_chosen(self):
        for number in range(55):
            self.rep.title = f"Title {number}"
            self.rep.save()
        person_kind = ContentType.objects.get_for_model(Person).pk
        self.login(self.admin)
        first = self.client.get(reverse("audit"), {"kind": person_kind})
        older = f'href="?kind={person_kind}&amp;page=2"'
        self.assertContains(first, older)
        second = self.client.get(reverse("audit"), {"kind": person_kind, "page": 2})
        self.assertContains(second, f'href="?kind={person_kind}&amp;page=1"')
        self.assertContains(second, "Newer")


class AuditDisplayTests(BaseTestCase):
    def test_history_shows_labels_names_and_choices_not_raw_values(self):
        with acting_as(self.admin.user):
            move(self.rep, manager=self.other_manager, team=self.other_team, on=dt.date(2025, 3, 1))
            self.rep.role = "manager"
            self.rep.save()
        self.login(self.admin)
        body = self.client.get(reverse("person_history", args=[self.rep.pk])).content.decode()
        self.assertIn("<strong>ada@acme.test</strong> changed <em>Rita</em>", body)
        self.assertIn("<td>Role</td><td>Rep</td><td>Manager</td>", body)
        self.assertIn("<td>Team</td><td>—</td><td>Beta</td>", body)
        self.assertIn("<td>Reports to</td><td>—</td><td>Otto</td>", body)
        self.assertNotIn("valid_from", body)
