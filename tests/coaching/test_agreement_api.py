"""/api/v1/agreements/: the pages' rules over JSON."""

from __future__ import annotations

from followthrough.coaching import agreements
from followthrough.coaching.models import Acknowledgement, Agreement
from tests.cast import BaseTestCase
from tests.coaching.agreement_helpers import rep_agreement, team_agreement, today

URL = "/api/v1/agreements/"


def body(**overrides) -> dict:
    data = {
        "expectations": "Raise a shortfall yourself.",
        "self_report_interval": "weekly",
        "cadence": "weekly",
        "missed_goals": "We coach first.",
    }
    data.update(overrides)
    return data


class AgreementApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alpha = team_agreement(cls.team, cls.manager)
        cls.beta = team_agreement(cls.other_team, cls.other_manager)
        cls.robs = rep_agreement(cls.rep2, cls.manager)

    def ids(self, who, query="") -> list[int]:
        self.login(who)
        response = self.client.get(URL + query)
        self.assertEqual(response.status_code, 200, response.content)
        return sorted(item["id"] for item in response.json()["results"])

    def post(self, who, url=URL, **data):
        self.login(who)
        return self.client.post(url, data, content_type="application/json")

    def test_each_sees_the_agreements_that_concern_them(self):
        alpha, beta, robs = self.alpha.pk, self.beta.pk, self.robs.pk
        self.assertEqual(self.ids(self.rep), [alpha])
        self.assertEqual(self.ids(self.rep2), sorted([alpha, robs]))
        self.assertEqual(self.ids(self.other_rep), [beta])
        self.assertEqual(self.ids(self.manager), sorted([alpha, robs]))
        self.assertEqual(self.ids(self.other_manager), [beta])
        self.assertEqual(self.ids(self.leader), sorted([alpha, beta, robs]))
        self.assertEqual(self.ids(self.admin), sorted([alpha, beta, robs]))
        self.assertEqual(self.ids(self.outsider), [])

    def test_items_carry_an_id_and_a_detail_url_under_the_list(self):
        self.login(self.rep)
        [item] = self.client.get(URL).json()["results"]
        self.assertEqual(item["id"], self.alpha.pk)
        self.assertTrue(item["url"].endswith(f"{URL}{self.alpha.pk}/"))
        detail = self.client.get(item["url"])
        self.assertEqual(detail.json()["version"], 1)

    def test_a_peer_or_another_team_gets_no_detail(self):
        for who in (self.rep, self.other_manager, self.outsider):
            self.login(who)
            self.assertEqual(self.client.get(f"{URL}{self.robs.pk}/").status_code, 404, who)

    def test_the_list_filters_by_person_and_date(self):
        self.assertEqual(
            self.ids(self.leader, f"?person={self.rep2.pk}"), sorted([self.alpha.pk, self.robs.pk])
        )
        self.assertEqual(self.ids(self.leader, f"?person={self.other_rep.pk}"), [self.beta.pk])
        day = today(self.org)
        self.assertEqual(len(self.ids(self.leader, f"?from={day}&until={day}")), 3)
        self.assertEqual(self.ids(self.leader, "?until=2020-01-01"), [])
        self.assertEqual(self.ids(self.leader, "?person=x"), [])

    def test_bad_dates_in_the_filter_are_field_errors(self):
        self.login(self.leader)
        response = self.client.get(URL + "?from=2026-02-30&until=9999-99-99")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"from", "until"})
        response = self.client.get(URL + "?from=2026-03-01&until=2026-01-01")
        self.assertEqual(set(response.json()), {"until"})

    def test_a_manager_creates_the_next_version(self):
        response = self.post(self.manager, team=self.team.pk, **body(cadence="fortnightly"))
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(
            (response.json()["version"], response.json()["cadence"]), (2, "fortnightly")
        )
        response = self.post(self.manager, rep=self.rep.pk, **body())
        self.assertEqual((response.status_code, response.json()["rep"]), (201, self.rep.pk))

    def test_bad_input_gets_field_level_400s_and_saves_nothing(self):
        before = Agreement.objects.count()
        cases = [
            ({}, "team"),
            ({"team": self.team.pk, "rep": self.rep.pk}, "rep"),
            ({"team": self.other_team.pk}, "team"),
            ({"team": 2**63}, "team"),
            ({"team": "abc"}, "team"),
            ({"rep": self.manager.pk}, "rep"),
            ({"rep": self.other_rep.pk}, "rep"),
            ({"team": self.team.pk, "expectations": ""}, "expectations"),
            ({"team": self.team.pk, "self_report_interval": "hourly"}, "self_report_interval"),
        ]
        for overrides, field in cases:
            data = body()
            data.update(overrides)
            response = self.post(self.manager, **data)
            self.assertEqual(response.status_code, 400, overrides)
            self.assertIn(field, response.json(), overrides)
        self.assertEqual(Agreement.objects.count(), before)

    def test_a_rep_may_not_create_an_agreement(self):
        response = self.post(self.rep, team=self.team.pk, **body())
        self.assertEqual(response.status_code, 403)

    def test_a_version_is_never_edited_or_deleted(self):
        self.login(self.manager)
        url = f"{URL}{self.alpha.pk}/"
        for method in ("put", "patch", "delete"):
            response = getattr(self.client, method)(url, body(), content_type="application/json")
            self.assertEqual(response.status_code, 405, method)

    def test_the_rep_acknowledges_their_current_version(self):
        response = self.post(self.rep, f"{URL}{self.alpha.pk}/acknowledge/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual([a["person"] for a in response.json()["acknowledgements"]], [self.rep.pk])
        self.assertIsNone(agreements.pending_for(self.rep))

    def test_a_rep_sees_only_their_own_acknowledgement(self):
        agreements.acknowledge(self.alpha, self.rep)
        self.login(self.rep2)
        # Rob has his own agreement: Alpha's does not cover him, he reads it without others' marks.
        item = self.client.get(f"{URL}{self.alpha.pk}/").json()
        self.assertEqual(item["acknowledgements"], [])
        self.login(self.manager)
        item = self.client.get(f"{URL}{self.alpha.pk}/").json()
        self.assertEqual([a["person"] for a in item["acknowledgements"]], [self.rep.pk])

    def test_acknowledging_what_does_not_cover_you_or_a_replaced_version_is_refused(self):
        response = self.post(self.rep2, f"{URL}{self.alpha.pk}/acknowledge/")
        self.assertEqual((response.status_code, list(response.json())), (400, ["agreement"]))
        response = self.post(self.rep, f"{URL}{self.robs.pk}/acknowledge/")
        self.assertEqual(response.status_code, 404)
        team_agreement(self.team, self.manager)
        response = self.post(self.rep, f"{URL}{self.alpha.pk}/acknowledge/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"version": ["Version 1 has been replaced by version 2: acknowledge that one."]},
        )
        self.assertFalse(Acknowledgement.objects.exists())
