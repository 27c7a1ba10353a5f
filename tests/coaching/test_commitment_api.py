"""/api/v1/commitments/: the page's rules over JSON, field-level refusals, nothing saved."""

from __future__ import annotations

import datetime as dt

import time_machine

from followthrough.coaching.commitments import make_commitment
from followthrough.coaching.models import Commitment
from tests.cast import BaseTestCase

NOON = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)
URL = "/api/v1/commitments/"


@time_machine.travel(NOON, tick=False)
class CommitmentApiTests(BaseTestCase):
    def post(self, who, **data):
        self.login(who)
        return self.client.post(URL, data, content_type="application/json")

    def test_a_rep_makes_one_and_gets_its_id_and_url(self):
        response = self.post(self.rep, text="Book two demos", due_on="2026-03-20")
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(body["url"], f"http://testserver{URL}{body['id']}/")
        self.assertEqual((body["owner"], body["overdue"]), (self.rep.pk, False))

    def test_refusals_are_field_level_and_save_nothing(self):
        cases = [
            ({"text": "x"}, "due_on"),
            ({"text": "x", "due_on": None}, "due_on"),
            ({"text": "x", "due_on": "2026-03-10"}, "due_on"),
            ({"text": "x", "due_on": "2026-13-01"}, "due_on"),
            ({"due_on": "2026-03-20"}, "text"),
            ({"text": "x", "due_on": "2026-03-20", "owner": self.rep2.pk}, "owner"),
            ({"text": "x", "due_on": "2026-03-20", "owner": 2**70}, "owner"),
            ({"text": "x", "due_on": "2026-03-20", "deal": 99999}, "deal"),
        ]
        for data, field in cases:
            response = self.post(self.rep, **data)
            with self.subTest(data=data):
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        self.assertFalse(Commitment.objects.exists())

    def test_a_rep_sees_their_own_a_manager_their_reports(self):
        for owner in (self.rep, self.rep2, self.other_rep):
            make_commitment(by=owner, owner=owner, text=owner.name, due_on=dt.date(2026, 3, 20))
        seen = {
            self.rep: ["Rita"],
            self.manager: ["Rita", "Rob"],
            self.other_manager: ["Olga"],
            self.outsider: [],
        }
        for who, names in seen.items():
            self.login(who)
            with self.subTest(who=who.name):
                results = self.client.get(URL).json()["results"]
                self.assertEqual(sorted(r["text"] for r in results), names)
        self.login(self.manager)
        results = self.client.get(f"{URL}?person={self.rep2.pk}").json()["results"]
        self.assertEqual([r["text"] for r in results], ["Rob"])
        self.assertEqual(self.client.get(f"{URL}?from=2026-03-21").json()["count"], 0)
        self.assertEqual(self.client.get(f"{URL}?until=2026-03-20").json()["count"], 2)

    def test_closing_as_done_needs_evidence_and_others_may_not(self):
        commitment = make_commitment(
            by=self.rep, owner=self.rep, text="x", due_on=dt.date(2026, 3, 20)
        )
        url = f"{URL}{commitment.pk}/"
        self.login(self.rep)
        response = self.client.patch(url, {"status": "done"}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("evidence", response.json())
        self.login(self.rep2)
        response = self.client.patch(url, {"status": "dropped"}, content_type="application/json")
        self.assertEqual(response.status_code, 404)
        self.login(self.manager)
        response = self.client.patch(
            url, {"status": "done", "evidence": "Signed"}, content_type="application/json"
        )
        self.assertEqual(response.json()["status"], "done")


def test_the_openapi_schema_has_the_three_endpoints_and_builds_without_warnings():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ("commitments", "self-reports", "problems"):
        assert f"/api/v1/{path}/" in schema["paths"]
        names = [p["name"] for p in schema["paths"][f"/api/v1/{path}/"]["get"]["parameters"]]
        assert {"person", "from", "until"} <= set(names)
