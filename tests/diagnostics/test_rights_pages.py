"""The three-rights pages, the thresholds page and the API: who sees what, and what they say."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.test import APIClient

from followthrough.audit.models import AuditEntry
from followthrough.diagnostics.models import DiagnosticSettings, MixTarget
from tests.cast import BaseTestCase
from tests.diagnostics import rights_history as h

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
class RightsPagesTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        h.build(cls)

    def rep_url(self, person, **query):
        url = reverse("diagnostics_rep", args=[person.pk])
        return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")

    def test_the_manager_sees_the_team_with_who_needs_help_on_which_right(self):
        self.login(self.manager)
        response = self.client.get(reverse("diagnostics_team") + f"?team={self.team.pk}")
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("Who needs help with which right", text)
        self.assertIn("100 % of cold outreach was cold e-mails", text)
        self.assertIn(self.rep_url(self.rep, period="2026-05"), text)
        self.assertContains(response, "Not enough data")  # right time, until the projection

    def test_a_past_month_is_shown_when_asked_and_a_bad_one_is_not_found(self):
        self.login(self.manager)
        response = self.client.get(reverse("diagnostics_team") + "?period=2026-04")
        self.assertContains(response, "April 2026")
        for bad in ("2026-13", "May", "2027-01"):
            response = self.client.get(reverse("diagnostics_team") + f"?period={bad}")
            self.assertEqual(response.status_code, 404, bad)

    def test_a_rep_is_sent_to_their_own_page_and_sees_it(self):
        self.login(self.rep)
        response = self.client.get(reverse("diagnostics_team"))
        self.assertRedirects(response, self.rep_url(self.rep))
        response = self.client.get(self.rep_url(self.rep))
        self.assertContains(response, "60 cold calls and e-mails against 142 needed (42 %)")
        self.assertContains(response, "<svg", count=1)

    def test_a_peer_another_manager_and_an_outsider_are_refused(self):
        for person, status in (
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.other_rep, 403),
            (self.outsider, 404),
        ):
            self.login(person)
            self.assertEqual(self.client.get(self.rep_url(self.rep)).status_code, status)
        self.login(self.other_manager)
        response = self.client.get(reverse("diagnostics_team") + f"?team={self.team.pk}")
        self.assertEqual(response.status_code, 403)
        self.login(self.outsider)
        response = self.client.get(reverse("diagnostics_team") + f"?team={self.team.pk}")
        self.assertEqual(response.status_code, 404)

    def test_the_leader_and_the_admin_see_the_reps_page(self):
        for person in (self.leader, self.admin, self.manager):
            self.login(person)
            self.assertEqual(self.client.get(self.rep_url(self.rep)).status_code, 200)

    def test_pages_render_in_chinese_and_dutch(self):
        self.login(self.manager)
        for language in ("zh-hans", "nl"):
            response = self.client.get(
                self.rep_url(self.rep2), headers={"accept-language": language}
            )
            self.assertEqual(response.status_code, 200)


@time_machine.travel(NOW, tick=False)
class ThresholdsPageTest(BaseTestCase):
    def url(self, team=None):
        return reverse("diagnostics_settings") + f"?team={(team or self.team).pk}"

    def post(self, **data):
        fields = {
            "action": "thresholds",
            "watch_below": "75",
            "help_below": "50",
            "channel_share": "80",
            "mix_tolerance": "10",
            "gap_watch": "15",
            "gap_help": "30",
            "stale_days": "21",
            "long_open_factor": "2",
            "push_count": "3",
            "late_quarter_days": "15",
            "edits_before_review": "10",
            "bulk_count": "10",
            "bulk_late_days": "7",
        }
        fields.update(data)
        return self.client.post(self.url(), fields)

    def test_the_manager_sets_the_teams_thresholds_and_it_is_audited(self):
        self.login(self.manager)
        self.assertContains(self.client.get(self.url()), "no thresholds of its own")
        response = self.post()
        self.assertRedirects(response, self.url())
        saved = DiagnosticSettings.objects.get(team=self.team)
        self.assertEqual(saved.watch_below, 75)
        entry = AuditEntry.objects.get(
            content_type=ContentType.objects.get_for_model(DiagnosticSettings),
            object_id=str(saved.pk),
        )
        self.assertEqual(entry.actor, self.manager.user)

    def test_wrong_thresholds_get_field_errors(self):
        self.login(self.manager)
        response = self.post(help_below="90", stale_days="0")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Must not be more than", status_code=400)
        self.assertContains(response, "stale_days_error", status_code=400)
        self.assertFalse(DiagnosticSettings.objects.exists())

    def test_only_a_leader_or_admin_sets_a_mix_target(self):
        mix = {"action": "mix", "dimension": "product_family", "value": "Services", "share": "20"}
        self.login(self.manager)
        self.assertEqual(self.client.post(self.url(), mix).status_code, 403)
        self.assertNotContains(self.client.get(self.url()), "Save mix target")
        self.login(self.leader)
        self.assertRedirects(self.client.post(self.url(), mix), self.url())
        target = MixTarget.objects.get()
        self.assertEqual((target.share, target.set_by), (20, self.leader))
        self.assertTrue(
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(MixTarget), object_id=str(target.pk)
            ).exists()
        )
        # Saving the same kind again changes it rather than failing on the unique kind.
        self.client.post(self.url(), {**mix, "share": "25"})
        self.assertEqual(MixTarget.objects.get().share, 25)
        response = self.client.post(self.url(), {**mix, "share": "120"})
        self.assertContains(response, "share_error", status_code=400)
        self.client.post(self.url(), {"action": "mix_delete", "target": target.pk})
        self.assertFalse(MixTarget.objects.exists())

    def test_reps_other_managers_and_outsiders_may_not_set_thresholds(self):
        for person, status in ((self.rep, 403), (self.other_manager, 403), (self.outsider, 404)):
            self.login(person)
            self.assertEqual(self.client.get(self.url()).status_code, status, person.name)
            self.assertEqual(self.post().status_code, status, person.name)


@time_machine.travel(NOW, tick=False)
class RightsApiTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        h.build(cls)

    def api(self, person):
        client = APIClient()
        client.force_authenticate(person.user)
        return client

    def test_the_manager_lists_the_team_with_ids_and_detail_urls(self):
        body = self.api(self.manager).get("/api/v1/diagnostics/three-rights/").json()
        self.assertEqual(body["period"], "2026-05")
        by_id = {item["id"]: item for item in body["results"]}
        self.assertEqual(set(by_id), {self.rep.pk, self.rep2.pk})
        rita = by_id[self.rep.pk]
        self.assertTrue(rita["url"].endswith(f"/api/v1/diagnostics/three-rights/{self.rep.pk}/"))
        self.assertEqual((rita["thing"]["status"], rita["way"]["status"]), ("help", "ok"))
        self.assertEqual(rita["time"]["status"], "unknown")
        self.assertIn("42 %", rita["thing"]["reasons"][0])
        detail = self.api(self.manager).get(rita["url"]).json()
        self.assertEqual(detail["thing"], rita["thing"])

    def test_reasons_come_in_the_requests_language(self):
        body = (
            self.api(self.manager)
            .get(
                f"/api/v1/diagnostics/three-rights/{self.rep.pk}/",
                headers={"accept-language": "nl"},
            )
            .json()
        )
        self.assertEqual(body["thing"]["label"], "Hulp nodig")

    def test_a_rep_sees_only_themself(self):
        body = self.api(self.rep).get("/api/v1/diagnostics/three-rights/").json()
        self.assertEqual([item["id"] for item in body["results"]], [self.rep.pk])
        response = self.api(self.rep).get(f"/api/v1/diagnostics/three-rights/{self.rep2.pk}/")
        self.assertEqual(response.status_code, 403)

    def test_forbidden_teams_people_and_bad_parameters(self):
        other = self.api(self.other_manager)
        self.assertEqual(
            other.get(f"/api/v1/diagnostics/three-rights/?team={self.team.pk}").status_code, 403
        )
        self.assertEqual(
            other.get(f"/api/v1/diagnostics/three-rights/{self.rep.pk}/").status_code, 403
        )
        outsider = self.api(self.outsider)
        self.assertEqual(
            outsider.get(f"/api/v1/diagnostics/three-rights/{self.rep.pk}/").status_code, 404
        )
        self.assertEqual(
            outsider.get(f"/api/v1/diagnostics/three-rights/?team={self.team.pk}").status_code,
            404,
        )
        response = self.api(self.manager).get("/api/v1/diagnostics/three-rights/?period=nope")
        self.assertEqual(response.status_code, 400)
        self.assertIn("period", response.json())
        response = self.api(self.manager).get("/api/v1/diagnostics/three-rights/?team=x")
        self.assertIn("team", response.json())

    def test_the_endpoints_are_in_the_openapi_schema(self):
        response = self.api(self.admin).get("/api/schema/")
        text = response.content.decode()
        self.assertIn("/api/v1/diagnostics/three-rights/", text)
        self.assertIn("/api/v1/diagnostics/three-rights/{person_id}/", text)
