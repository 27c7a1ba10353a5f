"""The notification API: one's own settings only; the ledger for admins only."""

from __future__ import annotations

from followthrough.audit.models import AuditEntry
from followthrough.notify.models import Channel, Delivery, Kind, Preference, Status
from tests.cast import BaseTestCase

SETTINGS = "/api/v1/notifications/settings/"
DELIVERIES = "/api/v1/notifications/deliveries/"


class SettingsApiTests(BaseTestCase):
    def test_a_rep_reads_the_defaults_then_changes_their_own_settings(self):
        self.login(self.rep)
        body = self.client.get(SETTINGS).json()
        self.assertEqual(
            {k: body[k] for k in ("digest", "reminders", "language", "timezone")},
            {"digest": True, "reminders": True, "language": "en", "timezone": ""},
        )
        response = self.client.patch(
            SETTINGS,
            {"reminders": False, "timezone": "Europe/Amsterdam"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200, response.content)
        chosen = Preference.objects.get(person=self.rep)
        self.assertEqual(
            (chosen.digest, chosen.reminders, chosen.timezone), (True, False, "Europe/Amsterdam")
        )
        self.assertTrue(
            AuditEntry.objects.filter(
                object_id=str(chosen.pk), content_type__model="preference"
            ).exists()
        )

    def test_bad_values_and_unknown_fields_get_field_errors_and_change_nothing(self):
        self.login(self.rep)
        for payload, field in (
            ({"timezone": "Mars/Olympus"}, "timezone"),
            ({"language": "fr"}, "language"),
            ({"digest": "perhaps"}, "digest"),
            ({"person": self.rep2.pk}, "person"),
        ):
            response = self.client.patch(SETTINGS, payload, content_type="application/json")
            self.assertEqual(response.status_code, 400, payload)
            self.assertIn(field, response.json())
        self.assertFalse(Preference.objects.exists())


class DeliveriesApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sent = Delivery.objects.create(
            organisation=cls.org,
            person=cls.rep,
            channel=Channel.EMAIL,
            kind=Kind.DIGEST,
            key="digest:2026-W50",
            status=Status.SENT,
        )
        cls.failed = Delivery.objects.create(
            organisation=cls.org,
            person=cls.rep2,
            channel=Channel.EMAIL,
            kind=Kind.DIGEST,
            key="digest:2026-W50",
            status=Status.FAILED,
            error="SMTPServerDisconnected",
        )
        cls.elsewhere = Delivery.objects.create(
            organisation=cls.other_org,
            person=cls.outsider_rep,
            channel=Channel.EMAIL,
            kind=Kind.DIGEST,
            key="digest:2026-W50",
            status=Status.FAILED,
        )

    def test_an_admin_lists_the_organisations_messages_and_filters_the_failed(self):
        self.login(self.admin)
        body = self.client.get(DELIVERIES).json()
        self.assertEqual({row["id"] for row in body["results"]}, {self.sent.pk, self.failed.pk})
        failed = self.client.get(DELIVERIES, {"status": "failed"}).json()["results"]
        self.assertEqual(
            [(r["id"], r["error"]) for r in failed], [(self.failed.pk, "SMTPServerDisconnected")]
        )
        detail = self.client.get(failed[0]["url"])
        self.assertEqual(detail.json()["person_name"], "Rob")
        self.assertEqual(self.client.get(DELIVERIES, {"status": "nope"}).status_code, 400)

    def test_everyone_else_is_refused_and_another_organisations_message_is_not_found(self):
        for person in (self.rep, self.manager, self.leader):
            self.login(person)
            self.assertEqual(self.client.get(DELIVERIES).status_code, 403, person.name)
        self.login(self.admin)
        self.assertEqual(self.client.get(f"{DELIVERIES}{self.elsewhere.pk}/").status_code, 404)
        self.client.logout()
        self.assertIn(self.client.get(DELIVERIES).status_code, (401, 403))
