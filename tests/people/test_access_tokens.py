"""Personal access tokens on the API: who they act as, when they are refused, what is stored."""

from __future__ import annotations

import datetime as dt
import json

import time_machine
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from followthrough.audit.models import AuditEntry
from followthrough.ingest.integrations import create_integration
from followthrough.people.forms import PersonForm
from followthrough.people.models import AccessToken, RevokeReason, TokenStatus
from followthrough.people.tokens import check_token, create_token, revoke_token
from tests.cast import PASSWORD, BaseTestCase

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
ME = "/api/v1/me/"


class TokenCase(BaseTestCase):
    def bearer(self, plaintext: str) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    def get(self, url: str, plaintext: str):
        return self.client.get(url, **self.bearer(plaintext))


class ActingAsThePersonTests(TokenCase):
    def test_a_token_authenticates_as_its_person(self):
        plaintext = create_token(self.rep, "script").plaintext
        response = self.get(ME, plaintext)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["name"], "Rita")

    def test_a_reps_token_sees_what_the_rep_sees_and_no_more(self):
        plaintext = create_token(self.rep, "script").plaintext
        own = reverse("person-detail", args=[self.rep.pk])
        teammate = reverse("person-detail", args=[self.rep2.pk])
        team = reverse("team-detail", args=[self.team.pk])
        self.assertEqual(self.get(own, plaintext).status_code, 200)
        self.assertEqual(self.get(teammate, plaintext).status_code, 404)
        self.assertEqual(self.get(team, plaintext).status_code, 404)
        # The same answers as her session gets.
        self.login(self.rep)
        self.assertEqual(self.client.get(teammate).status_code, 404)
        self.client.logout()
        ids = {row["id"] for row in self.get(reverse("person-list"), plaintext).json()["results"]}
        self.assertEqual(ids, {self.rep.pk})

    def test_a_managers_token_sees_her_team_but_not_the_other_organisation(self):
        plaintext = create_token(self.manager, "script").plaintext
        self.assertEqual(
            self.get(reverse("person-detail", args=[self.rep2.pk]), plaintext).status_code, 200
        )
        outsider = reverse("person-detail", args=[self.outsider_rep.pk])
        self.assertEqual(self.get(outsider, plaintext).status_code, 404)

    def test_an_integration_token_and_a_personal_token_each_work_where_they_belong(self):
        personal = create_token(self.rep, "script").plaintext
        integration = create_integration(self.org, "CRM", "crm").token
        # The ingest endpoint takes integrations only: a person's token is not one.
        batch = self.client.post(
            reverse("api-ingest", args=["deals"]),
            data=json.dumps({"records": []}),
            content_type="application/json",
            **self.bearer(personal),
        )
        self.assertEqual(batch.status_code, 401)
        # The person endpoints take people only: an integration's token is not one.
        self.assertIn(self.get(ME, integration).status_code, (401, 403))
        self.assertEqual(self.get(ME, personal).status_code, 200)


class RefusalTests(TokenCase):
    def assert_refused(self, plaintext: str, message: str) -> None:
        response = self.get(ME, plaintext)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response.json()["detail"], message)
        self.assertEqual(response["WWW-Authenticate"], "Bearer")

    def test_an_unknown_token_is_refused(self):
        self.assert_refused("ftp_" + "x" * 43, "Unknown access token.")

    def test_a_bearer_value_of_no_known_kind_is_refused(self):
        self.assertEqual(self.get(ME, "nonsense").status_code, 401)

    def test_an_expired_token_is_refused(self):
        with time_machine.travel(NOW, tick=False):
            plaintext = create_token(self.rep, "script", days=7).plaintext
        # Made on 10 March for 7 days: good until 17 March 09:00, refused from then on.
        with time_machine.travel(NOW + dt.timedelta(days=7, seconds=-1), tick=False):
            self.assertEqual(self.get(ME, plaintext).status_code, 200)
        with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
            self.assert_refused(plaintext, "This access token has expired.")

    def test_a_revoked_token_is_refused(self):
        new = create_token(self.rep, "script")
        revoke_token(new.token, RevokeReason.BY_OWNER, by=self.rep)
        self.assert_refused(new.plaintext, "This access token has been revoked.")

    def test_the_token_of_an_inactive_login_is_refused_even_if_not_revoked(self):
        new = create_token(self.rep, "script")
        # A bare update sends no signal: the check itself must still refuse.
        type(self.rep.user).objects.filter(pk=self.rep.user.pk).update(is_active=False)
        self.assert_refused(new.plaintext, "This access token's person cannot log in any more.")

    def test_a_days_count_outside_one_to_365_is_refused(self):
        for days in (0, 366):
            with self.subTest(days=days), self.assertRaises(ValueError):
                create_token(self.rep, "script", days=days)


class RevocationTests(TokenCase):
    def live(self, person) -> int:
        return AccessToken.objects.filter(person=person, revoked_at__isnull=True).count()

    def test_closing_a_login_revokes_the_persons_tokens(self):
        for name in ("one", "two"):
            create_token(self.rep, name)
        create_token(self.rep2, "other")
        form = PersonForm(
            {
                "name": "Rita",
                "email": "rita@acme.test",
                "role": "rep",
                "effective": "2024-01-01",
                "is_active": "on",
                # can_log_in unticked: the login is closed.
            },
            instance=self.rep,
            organisation=self.org,
        )
        self.assertTrue(form.is_valid(), form.errors)
        form.save()
        self.assertEqual(self.live(self.rep), 0)
        self.assertEqual(self.live(self.rep2), 1)
        reasons = set(AccessToken.objects.filter(person=self.rep).values_list("revoke_reason"))
        self.assertEqual(reasons, {(RevokeReason.DEACTIVATED,)})

    def test_making_a_person_inactive_revokes_their_tokens(self):
        new = create_token(self.rep, "script")
        self.rep.is_active = False
        self.rep.save()
        self.assertEqual(self.live(self.rep), 0)
        # Opening the login again does not bring the old token back.
        self.rep.is_active = True
        self.rep.save()
        self.assertEqual(check_token(new.plaintext).person, None)

    def test_changing_the_password_revokes_the_tokens(self):
        plaintext = create_token(self.rep, "script").plaintext
        self.login(self.rep)
        response = self.client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a brand new passphrase",
                "new_password2": "a brand new passphrase",
            },
        )
        self.assertRedirects(response, reverse("password_change_done"))
        self.client.logout()
        self.assertEqual(self.get(ME, plaintext).status_code, 401)
        token = AccessToken.objects.get(person=self.rep)
        self.assertEqual(token.revoke_reason, RevokeReason.PASSWORD)

    def test_resetting_the_password_revokes_the_tokens(self):
        plaintext = create_token(self.rep, "script").plaintext
        self.client.post(reverse("password_reset"), {"email": "rita@acme.test"})
        [message] = mail.outbox
        link = next(w for w in message.body.split() if "/accounts/password/reset/" in w)
        form_page = self.client.get(link.replace("http://testserver", ""), follow=True)
        done = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        )
        self.assertRedirects(done, reverse("password_reset_complete"))
        self.assertEqual(self.get(ME, plaintext).status_code, 401)

    def test_logging_in_does_not_revoke_the_tokens(self):
        plaintext = create_token(self.rep, "script").plaintext
        self.assertTrue(self.client.login(username="rita@acme.test", password=PASSWORD))
        self.client.logout()
        self.assertEqual(self.get(ME, plaintext).status_code, 200)


class StorageTests(TokenCase):
    def test_only_the_hash_is_stored_and_the_plaintext_is_nowhere_in_the_database(self):
        new = create_token(self.rep, "script")
        revoke_token(new.token, RevokeReason.BY_OWNER)
        secret = new.plaintext[10:]
        self.assertEqual(len(new.plaintext), 4 + 43)  # ftp_ and 32 random bytes in base64
        self.assertEqual(new.token.token_prefix, new.plaintext[:10])
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                columns = connection.introspection.get_table_description(cursor, table)
                for column in columns:
                    quoted = connection.ops.quote_name
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quoted(table)} "
                        f"WHERE CAST({quoted(column.name)} AS TEXT) LIKE %s",
                        [f"%{secret}%"],
                    )
                    self.assertEqual(cursor.fetchone()[0], 0, f"{table}.{column.name}")

    def test_the_audit_history_records_creation_and_revocation_without_the_hash(self):
        AuditEntry.objects.all().delete()
        new = create_token(self.rep, "script")
        revoke_token(new.token, RevokeReason.BY_OWNER, by=self.rep)
        kind = ContentType.objects.get_for_model(AccessToken)
        entries = list(AuditEntry.objects.filter(content_type=kind).order_by("pk"))
        self.assertEqual([e.action for e in entries], ["create", "update"])
        self.assertEqual(entries[0].organisation_id, self.org.pk)
        self.assertEqual(entries[0].changes["name"], [None, "script"])
        self.assertEqual(entries[1].changes["revoked_by"], [None, self.rep.pk])
        for entry in entries:
            self.assertNotIn("token_hash", entry.changes)
            self.assertNotIn(new.token.token_hash, json.dumps(entry.changes))

    def test_last_used_is_written_at_most_once_a_minute(self):
        new = create_token(self.rep, "script")
        with time_machine.travel(NOW, tick=False):
            check_token(new.plaintext)
        with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
            check_token(new.plaintext)
        new.token.refresh_from_db()
        self.assertEqual(new.token.last_used_at, NOW)
        with time_machine.travel(NOW + dt.timedelta(seconds=60), tick=False):
            check_token(new.plaintext)
        new.token.refresh_from_db()
        self.assertEqual(new.token.last_used_at, NOW + dt.timedelta(seconds=60))

    def test_a_token_says_whether_it_is_active_expired_or_revoked(self):
        with time_machine.travel(NOW, tick=False):
            token = create_token(self.rep, "script", days=30).token
        self.assertEqual(token.expires_at, dt.datetime(2026, 4, 9, 9, 0, tzinfo=dt.UTC))
        self.assertEqual(token.status(NOW), TokenStatus.ACTIVE)
        self.assertEqual(token.status(token.expires_at), TokenStatus.EXPIRED)
        revoke_token(token, RevokeReason.BY_ADMIN, now=NOW)
        self.assertEqual(token.status(NOW), TokenStatus.REVOKED)


class ThrottleTests(TokenCase):
    @override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/hour"}}
    )
    def test_a_persons_token_and_session_share_one_count(self):
        first = create_token(self.rep, "one").plaintext
        second = create_token(self.rep, "two").plaintext
        self.assertEqual(self.get(ME, first).status_code, 200)
        self.assertEqual(self.get(ME, second).status_code, 200)
        self.login(self.rep)
        self.assertEqual(self.client.get(ME).status_code, 200)
        self.client.logout()
        self.assertEqual(self.get(ME, first).status_code, 429)
        # Another person's token has a count of its own.
        self.assertEqual(self.get(ME, create_token(self.rep2, "x").plaintext).status_code, 200)


def test_the_openapi_schema_describes_personal_access_tokens():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    scheme = schema["components"]["securitySchemes"]["personalAccessToken"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert "ftp_" in scheme["description"]
    assert {"personalAccessToken": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]
    assert "tokenAuth" not in schema["components"]["securitySchemes"]
