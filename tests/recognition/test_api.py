"""The API: same rules as the pages, field-level refusals, never another organisation."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient

from followthrough.recognition.badges import award
from followthrough.recognition.models import Kudos, Story
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal


class ApiTests(BaseTestCase):
    def api(self, person) -> APIClient:
        client = APIClient()
        client.force_authenticate(person.user)
        return client

    def test_a_rep_gives_kudos_and_lists_them(self):
        response = self.api(self.rep).post(
            "/api/v1/kudos/", {"recipient": self.rep2.pk, "message": "<i>Thanks</i>"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["message"], "<i>Thanks</i>")
        listed = self.api(self.rep2).get("/api/v1/kudos/").json()["results"]
        self.assertEqual([k["message"] for k in listed], ["<i>Thanks</i>"])
        self.assertEqual(self.api(self.other_rep).get("/api/v1/kudos/").json()["results"], [])

    def test_kudos_refusals_are_field_errors_and_a_flood_is_429(self):
        client = self.api(self.rep)
        cases = [
            ({"recipient": self.rep.pk, "message": "me"}, "recipient"),
            ({"recipient": self.outsider_rep.pk, "message": "hi"}, "recipient"),
            ({"recipient": 10**30, "message": "hi"}, "recipient"),
            ({"recipient": self.rep2.pk, "message": ""}, "message"),
            ({"recipient": self.rep2.pk, "message": "x", "deal": 999999}, "deal"),
        ]
        for body, field in cases:
            response = client.post("/api/v1/kudos/", body, format="json")
            self.assertEqual(response.status_code, 400, body)
            self.assertIn(field, response.json(), body)
        for n in range(3):
            client.post(
                "/api/v1/kudos/", {"recipient": self.rep2.pk, "message": f"{n}"}, format="json"
            )
        response = client.post(
            "/api/v1/kudos/", {"recipient": self.rep2.pk, "message": "4"}, format="json"
        )
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Kudos.objects.count(), 3)

    def test_badges_are_listed_for_the_line_and_granted_by_a_manager(self):
        award(self.rep, "first-deal", "Won a first deal.", "rule:first_deal", occasion="first")
        response = self.api(self.manager).post(
            "/api/v1/badges/",
            {"person": self.rep.pk, "badge": "team-player", "reason": "Helped Rob"},
            format="json",
        )
        self.assertEqual(response.status_code, 201, response.content)
        rows = self.api(self.rep2).get("/api/v1/badges/", {"person": self.rep.pk}).json()["results"]
        self.assertEqual({r["badge"]["code"] for r in rows}, {"first-deal", "team-player"})
        self.assertEqual(self.api(self.other_rep).get("/api/v1/badges/").json()["results"], [])
        hidden = self.api(self.other_manager).get("/api/v1/badges/", {"person": self.rep.pk})
        self.assertEqual(hidden.json()["results"], [])
        self.assertEqual(self.api(self.outsider).get("/api/v1/badges/").json()["results"], [])
        kinds = self.api(self.rep).get("/api/v1/badges/kinds/").json()
        self.assertIn("record-month", [k["code"] for k in kinds])

    def test_badge_grants_are_refused_to_oneself_and_outside_the_line(self):
        for who, whom, field in (
            (self.manager, self.manager, "non_field_errors"),
            (self.rep, self.rep2, "non_field_errors"),
            (self.other_manager, self.rep, "non_field_errors"),
            (self.outsider, self.rep, "person"),
        ):
            response = self.api(who).post(
                "/api/v1/badges/",
                {"person": whom.pk, "badge": "team-player", "reason": "x"},
                format="json",
            )
            self.assertEqual(response.status_code, 400, (who, whom))
            self.assertIn(field, response.json())
        response = self.api(self.manager).post(
            "/api/v1/badges/",
            {"person": self.rep.pk, "badge": "nope", "reason": "x"},
            format="json",
        )
        self.assertIn("badge", response.json())

    def test_stories_are_written_by_the_owner_and_searched_by_stage(self):
        won = deal(
            self.org,
            self.rep,
            closed=dt.date(2026, 2, 3),
            outcome="won",
            name="Initech",
            stage="Closed won",
        )
        response = self.api(self.rep).post(
            "/api/v1/stories/", {"deal": won.pk, "worked": "Early champion"}, format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        refused = self.api(self.rep2).post(
            "/api/v1/stories/", {"deal": won.pk, "worked": "x"}, format="json"
        )
        self.assertEqual(refused.status_code, 400)
        self.assertIn("deal", refused.json())
        found = (
            self.api(self.rep2).get("/api/v1/stories/", {"stage": "closed won"}).json()["results"]
        )
        self.assertEqual([s["worked"] for s in found], ["Early champion"])
        self.assertEqual(self.api(self.other_rep).get("/api/v1/stories/").json()["results"], [])
        self.assertEqual(
            self.api(self.outsider).get(f"/api/v1/stories/{found[0]['id']}/").status_code, 404
        )
        self.assertEqual(Story.objects.count(), 1)

    def test_anonymous_callers_are_refused(self):
        self.assertIn(APIClient().get("/api/v1/kudos/").status_code, (401, 403))

    def test_the_schema_lists_the_endpoints(self):
        schema = self.api(self.admin).get("/api/schema/", {"format": "json"}).json()
        for path in ("/api/v1/badges/", "/api/v1/kudos/", "/api/v1/stories/"):
            self.assertIn(path, schema["paths"])


class ApiQueryTests(BaseTestCase):
    def count(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = APIClient()
        client.force_authenticate(self.leader.user)
        client.get(url)  # warm the caches (content types, the catalog) first
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(client.get(url).status_code, 200)
        return len(queries)

    def test_lists_cost_the_same_queries_however_many_rows(self):
        import datetime as dt

        from django.utils import timezone

        from followthrough.recognition.kudos import give_kudos

        give_kudos(self.rep, self.rep2, "one")
        award(self.rep, "first-deal", "x", "test")
        few = {url: self.count(url) for url in ("/api/v1/kudos/", "/api/v1/badges/")}
        later = timezone.now()
        for n, (a, b) in enumerate(
            [(self.rep2, self.rep), (self.manager, self.other_rep), (self.other_rep, self.rep2)]
        ):
            give_kudos(a, b, f"more {n}", now=later + dt.timedelta(minutes=n))
            award(b, "contest-winner", "x", f"contest:{n}")
        many = {url: self.count(url) for url in few}
        self.assertEqual(few, many)
