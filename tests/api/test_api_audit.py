"""Writes made through the API are recorded as the person or integration behind them."""

from __future__ import annotations

import io
import json

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from followthrough.audit.context import SYSTEM, acting_as, current_actor
from followthrough.audit.models import AuditEntry
from followthrough.goals.models import Goal
from followthrough.ingest.integrations import create_integration
from followthrough.ingest.models import ImportRun, Integration
from followthrough.people.models import Person
from followthrough.people.tokens import create_token
from tests.cast import BaseTestCase

GOALS = "/api/v1/goals/"
GOAL = {"metric": "deals_won", "period_kind": "month", "day": "2026-03-05", "target": "4"}


def entries_for(model) -> list[AuditEntry]:
    kind = ContentType.objects.get_for_model(model)
    return list(AuditEntry.objects.filter(content_type=kind).order_by("pk"))


class AuditCase(BaseTestCase):
    def setUp(self):
        # The cast's own creation is history too; each test looks at what it changes.
        AuditEntry.objects.all().delete()


class TokenWriteTests(AuditCase):
    def token_for(self, person: Person) -> dict:
        token = create_token(person, "script").plaintext
        return {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def test_a_goal_created_with_a_persons_token_is_recorded_as_that_person(self):
        response = self.client.post(
            GOALS,
            json.dumps({**GOAL, "person": self.rep.pk}),
            content_type="application/json",
            **self.token_for(self.manager),
        )
        self.assertEqual(response.status_code, 201, response.content)
        [entry] = entries_for(Goal)
        self.assertEqual(entry.actor, self.manager.user)
        self.assertEqual(entry.actor_name, "maya@acme.test")

    def test_a_goal_changed_and_deleted_with_a_token_names_the_person_each_time(self):
        auth = self.token_for(self.manager)
        goal_id = self.client.post(
            GOALS,
            json.dumps({**GOAL, "person": self.rep.pk}),
            content_type="application/json",
            **auth,
        ).json()["id"]
        self.client.patch(
            f"{GOALS}{goal_id}/",
            json.dumps({"target": "6"}),
            content_type="application/json",
            **auth,
        )
        self.client.delete(f"{GOALS}{goal_id}/", **auth)
        entries = entries_for(Goal)
        self.assertEqual([e.action for e in entries], ["create", "update", "delete"])
        self.assertEqual({e.actor_name for e in entries}, {"maya@acme.test"})

    def test_a_session_write_is_still_recorded_as_the_logged_in_person(self):
        self.login(self.manager)
        self.client.post(
            GOALS, json.dumps({**GOAL, "person": self.rep.pk}), content_type="application/json"
        )
        self.assertEqual(entries_for(Goal)[0].actor, self.manager.user)

    def test_the_actor_of_a_request_does_not_outlive_it(self):
        self.client.post(
            GOALS,
            json.dumps({**GOAL, "person": self.rep.pk}),
            content_type="application/json",
            **self.token_for(self.manager),
        )
        self.assertEqual(current_actor(), SYSTEM)


class IntegrationWriteTests(AuditCase):
    def test_a_batch_pushed_with_an_integration_token_is_recorded_as_the_integration(self):
        new = create_integration(self.org, "CRM sync", "crm")
        response = self.client.post(
            reverse("api-ingest", args=["accounts"]),
            {"records": [{"external_id": "A-9", "name": "Initech"}]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {new.token}",
        )
        self.assertEqual(response.status_code, 200, response.content)
        run = ImportRun.objects.get(pk=response.json()["run"])
        self.assertEqual(run.created_by_name, "integration:CRM sync")

    def test_creating_an_integration_from_the_cli_leaves_an_audit_entry(self):
        call_command(
            "integration",
            "add",
            "CRM sync",
            "--source",
            "crm",
            "--organisation",
            "acme",
            stdout=io.StringIO(),
        )
        [entry] = entries_for(Integration)
        self.assertEqual((entry.action, entry.actor_name), ("create", "cli"))
        self.assertEqual(entry.organisation_id, self.org.pk)
        self.assertEqual(entry.changes["name"], [None, "CRM sync"])
        # The secrets are never copied into the history.
        self.assertNotIn("token_hash", entry.changes)
        self.assertNotIn("webhook_secret", entry.changes)

    def test_revoking_an_integration_from_the_cli_leaves_an_audit_entry(self):
        with acting_as(name="setup"):
            item = create_integration(self.org, "CRM sync", "crm").integration
        call_command("integration", "revoke", str(item.pk), stdout=io.StringIO())
        item.refresh_from_db()
        self.assertFalse(item.is_active)
        entry = entries_for(Integration)[-1]
        self.assertEqual((entry.action, entry.actor_name), ("update", "cli"))
        self.assertEqual(entry.changes, {"is_active": [True, False]})


class LoginAuditTests(AuditCase):
    def test_revoking_a_login_is_recorded_with_who_did_it(self):
        self.login(self.admin)
        self.client.post(
            reverse("person_edit", args=[self.rep.pk]),
            {
                "name": "Rita",
                "email": "rita@acme.test",
                "role": "rep",
                "effective": "2025-04-01",
                "is_active": "on",
                "manager": self.manager.pk,
                "team": self.team.pk,
            },
        )
        [entry] = entries_for(get_user_model())
        self.assertEqual(entry.changes, {"is_active": [True, False]})
        self.assertEqual(entry.actor, self.admin.user)
        # In the organisation's history, though a login has no organisation of its own.
        self.assertEqual(entry.organisation_id, self.org.pk)
        page = self.client.get(reverse("audit"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "rita@acme.test")

    def test_a_login_that_logs_in_leaves_no_entry(self):
        self.client.post(
            reverse("login"), {"username": "rita@acme.test", "password": "correct horse battery"}
        )
        self.assertEqual(entries_for(get_user_model()), [])
