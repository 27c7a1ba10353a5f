"""Pushing CRM records by API and webhooks: scoped tokens, field errors, idempotence, signatures."""

from __future__ import annotations

import json
import time

from django.urls import reverse

from followthrough.crm.models import Activity, Deal, DealChange, DealStageChange
from followthrough.ingest.integrations import create_integration, sign
from followthrough.ingest.models import Integration
from tests.cast import BaseTestCase

DEALS = [
    {
        "external_id": "D-1",
        "name": "Acme renewal",
        "owner": "rita@acme.test",
        "amount": 1200.5,
        "created_on": "2025-01-10",
        "close_on": "2025-03-31",
        "stage": "Proposal",
        "outcome": "open",
    },
    {
        "external_id": "D-2",
        "owner": "rob@acme.test",
        "amount": "800",
        "created_on": "2025-02-01",
        "stage": "Won",
        "outcome": "won",
        "close_on": "2025-02-20",
    },
]
MATCH = {"owner": "email"}


class IngestApiTests(BaseTestCase):
    def setUp(self):
        new = create_integration(self.org, "HubSpot sync", "hubspot")
        self.token, self.integration = new.token, new.integration
        other = create_integration(self.other_org, "Globex sync", "hubspot")
        self.other_token = other.token

    def push(self, kind, records, token=None, match=MATCH):
        return self.client.post(
            reverse("api-ingest", args=[kind]),
            data=json.dumps({"records": records, "match": match}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token or self.token}",
        )

    def test_a_batch_of_deals_is_upserted_by_external_id(self):
        response = self.push("deals", DEALS)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["created"], 2)
        deal = Deal.objects.get(external_id="D-1")
        self.assertEqual(
            (deal.owner, str(deal.amount), deal.source), (self.rep, "1200.50", "hubspot")
        )
        again = self.push("deals", DEALS).json()
        self.assertEqual((again["created"], again["updated"], again["unchanged"]), (0, 0, 2))
        self.assertEqual(Deal.objects.count(), 2)

    def test_a_later_push_records_what_changed(self):
        self.push("deals", DEALS)
        moved = [{**DEALS[0], "close_on": "2025-04-30", "stage": "Negotiation", "amount": 1500}]
        self.assertEqual(self.push("deals", moved).json()["updated"], 1)
        changes = {c.field: (c.old_value, c.new_value) for c in DealChange.objects.all()}
        self.assertEqual(
            changes,
            {"close_date": ("2025-03-31", "2025-04-30"), "amount": ("1200.50", "1500.00")},
        )
        move = DealStageChange.objects.get()
        self.assertEqual((move.from_stage, move.to_stage), ("Proposal", "Negotiation"))

    def test_bad_records_get_field_errors_and_nothing_is_written(self):
        bad = [
            DEALS[0],
            {**DEALS[1], "amount": -5, "owner": "nobody@acme.test"},
            {"external_id": "D-3", "colour": "red"},
        ]
        response = self.push("deals", bad)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["errors"], [{"index": 2, "field": "colour", "error": "unknown field"}]
        )
        response = self.push("deals", bad[:2])
        errors = {(e["index"], e["field"]): e["error"] for e in response.json()["errors"]}
        self.assertEqual(errors[(1, "amount")], "must not be negative")
        self.assertIn("unknown person", errors[(1, "owner")])
        self.assertFalse(Deal.objects.exists())

    def test_malformed_bodies_are_refused_without_a_500(self):
        for body in (
            "not json",
            "[]",
            json.dumps({"records": "x"}),
            json.dumps({"records": [1, 2]}),
        ):
            response = self.client.post(
                reverse("api-ingest", args=["deals"]),
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {self.token}",
            )
            self.assertEqual(response.status_code, 400, body)
        self.assertEqual(self.push("people", DEALS).status_code, 400)

    def test_tokens_are_scoped_to_their_organisation(self):
        response = self.push("deals", DEALS, token=self.other_token)
        # Globex has no Rita: its token cannot reach Acme's people.
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Deal.objects.filter(organisation=self.org).exists())

    def test_missing_wrong_and_revoked_tokens_are_refused(self):
        url = reverse("api-ingest", args=["deals"])
        body = json.dumps({"records": DEALS})
        self.assertEqual(
            self.client.post(url, body, content_type="application/json").status_code, 401
        )
        response = self.client.post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION="Bearer ft_wrong"
        )
        self.assertEqual(response.status_code, 401)
        Integration.objects.filter(pk=self.integration.pk).update(is_active=False)
        self.assertEqual(self.push("deals", DEALS).status_code, 401)

    def test_a_logged_in_person_cannot_push_with_a_session(self):
        self.login(self.admin)
        url = reverse("api-ingest", args=["deals"])
        response = self.client.post(
            url, json.dumps({"records": DEALS}), content_type="application/json"
        )
        self.assertIn(response.status_code, (401, 403))

    def test_activities_and_stage_history_can_be_pushed(self):
        self.push("deals", DEALS)
        activities = [
            {
                "external_id": "A-1",
                "owner": "rita@acme.test",
                "type": "call",
                "direction": "outbound",
                "is_cold": True,
                "occurred_at": "2025-01-12T09:30:00Z",
                "outcome": "connected",
                "deal": "D-1",
                "duration_seconds": 300,
            }
        ]
        self.assertEqual(self.push("activities", activities).status_code, 200)
        activity = Activity.objects.get()
        self.assertEqual(
            (activity.deal.external_id, activity.is_cold, activity.duration_seconds),
            ("D-1", True, 300),
        )
        history = [
            {"deal": "D-1", "to_stage": "Discovery", "changed_at": "2025-01-10T10:00:00Z"},
            {"deal": "D-1", "to_stage": "Proposal", "changed_at": "2025-02-01T10:00:00Z"},
        ]
        self.assertEqual(self.push("deal-history", history, match={}).status_code, 200)
        moves = list(
            DealStageChange.objects.order_by("changed_at").values_list("from_stage", "to_stage")
        )
        self.assertEqual(moves, [("", "Discovery"), ("Discovery", "Proposal")])


class WebhookTests(BaseTestCase):
    def setUp(self):
        self.integration = create_integration(self.org, "CRM", "crm").integration
        self.url = reverse("api-webhook", args=[self.integration.pk])

    def deliver(self, event, *, secret=None, timestamp=None, signature=None):
        body = json.dumps(event).encode()
        stamp = str(int(timestamp if timestamp is not None else time.time()))
        headers = {
            "HTTP_X_FOLLOWTHROUGH_TIMESTAMP": stamp,
            "HTTP_X_FOLLOWTHROUGH_SIGNATURE": signature
            or sign(secret or self.integration.webhook_secret, stamp, body),
        }
        return self.client.post(self.url, body, content_type="application/json", **headers)

    def event(self, event_id="evt-1", **data):
        record = {**DEALS[0], **data}
        return {"id": event_id, "type": "deal.updated", "data": record, "match": MATCH}

    def test_a_signed_event_is_imported_once(self):
        response = self.deliver(self.event())
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Deal.objects.get().external_id, "D-1")
        self.assertEqual(self.deliver(self.event()).status_code, 409)
        self.assertEqual(self.deliver(self.event("evt-2", amount=2000)).json()["updated"], 1)

    def test_unsigned_forged_and_stale_requests_are_refused(self):
        body = json.dumps(self.event()).encode()
        self.assertEqual(
            self.client.post(self.url, body, content_type="application/json").status_code, 401
        )
        self.assertEqual(self.deliver(self.event(), secret="guess").status_code, 401)
        self.assertEqual(self.deliver(self.event(), timestamp=time.time() - 3600).status_code, 401)
        self.assertEqual(self.deliver(self.event(), signature="sha256=00").status_code, 401)
        self.assertFalse(Deal.objects.exists())

    def test_a_rejected_event_can_be_fixed_and_resent(self):
        response = self.deliver(self.event(amount=-1))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "amount")
        self.assertEqual(self.deliver(self.event(amount=10)).status_code, 200)

    def test_unknown_event_types_and_bad_bodies_are_refused(self):
        self.assertEqual(
            self.deliver({"id": "e", "type": "planet.exploded", "data": {}}).status_code, 400
        )
        self.assertEqual(self.deliver({"type": "deal.updated", "data": {}}).status_code, 400)
        self.assertEqual(self.deliver(["not", "an", "object"]).status_code, 400)

    def test_another_integrations_secret_does_not_work(self):
        other = create_integration(self.other_org, "Other", "crm").integration
        self.assertEqual(self.deliver(self.event(), secret=other.webhook_secret).status_code, 401)
