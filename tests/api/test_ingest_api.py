"""Pushing CRM records by API and webhooks: scoped tokens, field errors, idempotence, signatures."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from unittest import mock, skipUnless

from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from django.urls import reverse

from followthrough.crm.models import Account, Activity, Deal, DealChange, DealStageChange
from followthrough.ingest import api as api_ingest
from followthrough.ingest.integrations import create_integration, sign
from followthrough.ingest.models import ImportRun, Integration, WebhookDelivery
from tests.cast import BaseTestCase, CastMixin

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


class IntegrationCase(BaseTestCase):
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


class IngestApiTests(IntegrationCase):
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


class WebhookClient:
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


class WebhookCase(WebhookClient, BaseTestCase):
    pass


class WebhookTests(WebhookCase):
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


class BatchEnvelopeTests(IntegrationCase):
    def post(self, body: dict):
        return self.client.post(
            reverse("api-ingest", args=["deals"]),
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )

    def test_a_bad_match_or_source_gets_an_error_on_that_field(self):
        cases = [
            ({"match": {"owner": ["email"]}}, "match.owner"),
            ({"match": {"owner": "phone"}}, "match.owner"),
            ({"match": ["owner"]}, "match"),
            ({"source": "bad source!"}, "source"),
            ({"source": "x" * 41}, "source"),
            ({"source": 5}, "source"),
        ]
        for extra, field in cases:
            with self.subTest(extra=extra):
                response = self.post({"records": DEALS, **extra})
                self.assertEqual(response.status_code, 400)
                self.assertEqual([e["field"] for e in response.json()["errors"]], [field])
        self.assertFalse(Deal.objects.exists())

    def test_a_nul_character_in_a_value_is_a_field_error(self):
        response = self.push("deals", [DEALS[0], {**DEALS[1], "name": "Acme\x00"}])
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json()["errors"],
            [{"index": 1, "field": "name", "error": "contains a NUL character"}],
        )

    def test_a_batch_with_one_bad_record_leaves_stored_deals_as_they_were(self):
        self.push("deals", DEALS)
        changed = [
            {**DEALS[0], "amount": 5000, "close_on": "2025-06-30"},
            {**DEALS[1], "amount": -1},
        ]
        response = self.push("deals", changed)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            [(e["index"], e["field"]) for e in response.json()["errors"]], [(1, "amount")]
        )
        deal = Deal.objects.get(external_id="D-1")
        self.assertEqual((str(deal.amount), str(deal.close_on)), ("1200.50", "2025-03-31"))
        self.assertFalse(DealChange.objects.exists())

    def test_another_organisations_token_writes_only_into_its_own_organisation(self):
        accounts = [{"external_id": "ACC-1", "name": "Initech"}]
        response = self.push("accounts", accounts, match={})
        self.assertEqual(response.status_code, 200, response.content)
        response = self.push(
            "accounts",
            [{"external_id": "ACC-1", "name": "Umbrella"}],
            token=self.other_token,
            match={},
        )
        self.assertEqual(response.json()["created"], 1)
        names = dict(Account.objects.values_list("organisation__slug", "name"))
        self.assertEqual(names, {"acme": "Initech", "globex": "Umbrella"})
        # Globex's token cannot attach a deal to an account only Acme has.
        self.push("accounts", [{"external_id": "ACME-ONLY", "name": "Hooli"}], match={})
        response = self.push(
            "deals",
            [{"external_id": "G-1", "account": "ACME-ONLY"}],
            token=self.other_token,
            match={},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("unknown account", response.json()["errors"][0]["error"])
        self.assertFalse(Deal.objects.exists())

    def test_a_batch_over_the_size_limit_is_refused_unread(self):
        with mock.patch.object(api_ingest, "MAX_BATCH_BYTES", 500):
            response = self.push("deals", DEALS * 3)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(response.json()["errors"][0]["field"], "records")
        self.assertFalse(Deal.objects.exists())

    def test_accounts_can_be_pushed_without_a_parent(self):
        response = self.push("accounts", [{"external_id": "ACC-9", "name": "Hooli"}], match={})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertIsNone(Account.objects.get(external_id="ACC-9").parent)

    def test_integrations_are_throttled_apart_from_people(self):
        from types import SimpleNamespace

        from followthrough.api.throttling import IntegrationRateThrottle

        request = SimpleNamespace(auth=self.integration, user=self.integration)
        key = IntegrationRateThrottle().key(request)
        self.assertEqual(key, f"api-integration:{self.integration.pk}")


class WebhookEdgeTests(WebhookCase):
    def post_raw(self, body: bytes, stamp: str, signature: str):
        return self.client.post(
            self.url,
            body,
            content_type="application/json",
            HTTP_X_FOLLOWTHROUGH_TIMESTAMP=stamp,
            HTTP_X_FOLLOWTHROUGH_SIGNATURE=signature,
        )

    def test_the_same_signed_request_sent_twice_is_refused_the_second_time(self):
        body = json.dumps(self.event()).encode()
        stamp = str(int(time.time()))
        signature = sign(self.integration.webhook_secret, stamp, body)
        self.assertEqual(self.post_raw(body, stamp, signature).status_code, 200)
        replay = self.post_raw(body, stamp, signature)
        self.assertEqual(replay.status_code, 409)
        self.assertEqual(replay.json(), {"error": "this event was delivered already (replay)"})

    def test_odd_timestamps_and_signatures_are_refused_never_a_server_error(self):
        body = json.dumps(self.event()).encode()
        now = str(int(time.time()))
        cases = [
            (now, "sha256=é"),
            ("²", "sha256=00"),
            ("9" * 5000, "sha256=00"),
            ("9" * 13, "sha256=00"),
            (str(int(time.time()) + 3600), None),
        ]
        for stamp, signature in cases:
            with self.subTest(stamp=stamp[:15], signature=signature):
                signed = signature or sign(self.integration.webhook_secret, stamp, body)
                self.assertEqual(self.post_raw(body, stamp, signed).status_code, 401)
        self.assertFalse(Deal.objects.exists())

    @override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
    def test_an_event_over_the_body_limit_is_refused(self):
        response = self.deliver(self.event(next_step="x" * 2000))
        self.assertEqual(response.status_code, 413)
        self.assertIn("larger than 1,024 bytes", response.json()["detail"])
        self.assertFalse(Deal.objects.exists())

    def test_an_unknown_or_revoked_integration_is_not_found(self):
        Integration.objects.filter(pk=self.integration.pk).update(is_active=False)
        self.assertEqual(self.deliver(self.event()).status_code, 404)
        self.url = reverse("api-webhook", args=[self.integration.pk + 100])
        self.assertEqual(self.deliver(self.event()).status_code, 404)

    def test_an_event_id_with_any_characters_is_imported_and_named_safely(self):
        response = self.deliver(self.event("../../evt/1 ü"))
        self.assertEqual(response.status_code, 200, response.content)
        run = ImportRun.objects.get(pk=response.json()["run"])
        self.assertEqual(run.file_name, "webhook-.._.._evt_1__ batch (1 deals)")

    def test_a_stage_change_event_adds_to_the_deals_history(self):
        self.deliver(self.event())
        change = {"deal": "D-1", "to_stage": "Negotiation", "changed_at": "2025-02-10T09:00:00Z"}
        event = {"id": "evt-9", "type": "deal.stage_changed", "data": change}
        response = self.deliver(event)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(
            list(DealStageChange.objects.values_list("to_stage", flat=True)), ["Negotiation"]
        )

    def test_a_bad_match_in_an_event_is_a_field_error(self):
        response = self.deliver({**self.event(), "match": {"owner": 1}})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "match.owner")


def test_the_openapi_schema_of_the_ingest_endpoints_builds_without_warnings():
    from django.urls import path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    from followthrough.ingest import api as ingest

    patterns = [
        path("api/v1/ingest/<str:kind>/", ingest.push_batch),
        path("api/v1/webhooks/<int:integration_id>/", ingest.webhook),
    ]
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (
        dict(GENERATOR_STATS._warn_cache),
        dict(GENERATOR_STATS._error_cache),
    )
    validate_schema(schema)
    batch = schema["paths"]["/api/v1/ingest/{kind}/"]["post"]
    kind = next(p for p in batch["parameters"] if p["name"] == "kind")
    assert sorted(kind["schema"]["enum"]) == [
        "accounts",
        "activities",
        "deal-history",
        "deals",
        "leads",
        "products",
    ]
    assert batch["security"] == [{"integrationToken": []}]
    assert schema["components"]["securitySchemes"]["integrationToken"]["scheme"] == "bearer"
    hook = schema["paths"]["/api/v1/webhooks/{integration_id}/"]["post"]
    headers = {p["name"] for p in hook["parameters"] if p["in"] == "header"}
    assert headers == {"X-Followthrough-Timestamp", "X-Followthrough-Signature"}
    assert set(hook["responses"]) == {"200", "400", "401", "404", "409"}


# A deal the database refuses while the import writes it, as a full disk or a lost
# connection would: a real failure inside the import's transaction, after the delivery
# row is written, with no mock standing in for the database.
REFUSED = "Refused by the database"


@contextmanager
def refusing_deals_named(name: str):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_deal() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN IF NEW.name = '{name}' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_deal BEFORE INSERT ON crm_deal "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse_deal()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_deal BEFORE INSERT ON crm_deal "
                f"WHEN NEW.name = '{name}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(
                "DROP TRIGGER test_refuse_deal"
                + (" ON crm_deal" if connection.vendor == "postgresql" else "")
            )
            if connection.vendor == "postgresql":
                cursor.execute("DROP FUNCTION test_refuse_deal()")


class WebhookFailureTests(WebhookCase):
    def test_an_event_whose_import_fails_is_not_recorded_and_its_resend_imports(self):
        event = self.event(name=REFUSED)
        self.client.raise_request_exception = False
        with refusing_deals_named(REFUSED), self.assertLogs("django.request", "ERROR"):
            self.assertEqual(self.deliver(event).status_code, 500)
        # Nothing of the failed delivery is kept: not the data, its run, nor the event id.
        self.assertFalse(Deal.objects.exists())
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(WebhookDelivery.objects.exists())

        response = self.deliver(event)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(list(Deal.objects.values_list("external_id", "name")), [("D-1", REFUSED)])
        delivery = WebhookDelivery.objects.get()
        self.assertEqual((delivery.event_id, delivery.run_id), ("evt-1", response.json()["run"]))

        self.assertEqual(self.deliver(event).status_code, 409)
        self.assertEqual((Deal.objects.count(), ImportRun.objects.count()), (1, 1))


@skipUnless(connection.vendor == "postgresql", "two connections writing at once need PostgreSQL")
class WebhookConcurrencyTests(WebhookClient, CastMixin, TransactionTestCase):
    def setUp(self):
        self.build_cast()
        super().setUp()

    def in_flight_elsewhere(self, event_id: str, *, commits: bool) -> threading.Thread:
        """Another worker holding the same event: its delivery row written, not yet committed."""
        written = threading.Event()

        def work():
            try:
                with transaction.atomic():
                    WebhookDelivery.objects.create(integration=self.integration, event_id=event_id)
                    written.set()
                    time.sleep(0.5)
                    transaction.set_rollback(not commits)
            finally:
                connection.close()

        thread = threading.Thread(target=work)
        thread.start()
        written.wait(5)
        return thread

    def test_a_duplicate_arriving_while_the_first_commits_is_refused(self):
        other = self.in_flight_elsewhere("evt-1", commits=True)
        response = self.deliver(self.event())
        other.join()
        self.assertEqual(response.status_code, 409)
        self.assertFalse(Deal.objects.exists())

    def test_a_duplicate_arriving_while_the_first_fails_is_imported(self):
        other = self.in_flight_elsewhere("evt-1", commits=False)
        response = self.deliver(self.event())
        other.join()
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Deal.objects.get().external_id, "D-1")
        self.assertEqual(WebhookDelivery.objects.get().run_id, response.json()["run"])
