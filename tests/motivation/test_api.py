"""The motivation API: the pages' rights and field errors, standings as the page shows them."""

from __future__ import annotations

import time_machine

from followthrough.motivation.models import Contest, Quest, QuestStatus
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, build_week, contest

URL = "/api/v1/contests/"
QUESTS = "/api/v1/quests/"


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class ContestApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def post(self, who, url=URL, **data):
        self.login(who)
        body = {
            "name": "Wins",
            "metric": "deals_won",
            "start": MONDAY.isoformat(),
            "end": SUNDAY.isoformat(),
            "format": "ranking",
            "top_n": 1,
            "eligible_team": self.team.pk,
        }
        body.update(data)
        return self.client.post(url, body, content_type="application/json")

    def test_a_manager_creates_a_contest_and_reads_its_standings(self):
        response = self.post(self.manager)
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        standings = self.client.get(f"{URL}{pk}/standings/").json()
        values = {e["name"]: e["value"] for e in standings["entries"]}
        self.assertEqual(set(values), {"Rita", "Rob"})
        self.assertEqual(float(values["Rita"]), 2)
        self.assertEqual([e["rank"] for e in standings["entries"]], [1, 1])
        self.assertEqual([e["shared_deals"] for e in standings["entries"]], [0, 0])

    def test_bad_input_is_named_by_field(self):
        response = self.post(
            self.manager, metric="nope", end="2026-03-01", prizes="A trip", rules=""
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue({"metric", "end", "rules"} <= set(response.json()), response.json())
        response = self.post(self.manager, min_tenure_days=99999)
        self.assertIn("eligible_roles", response.json())
        self.assertEqual(self.post(self.manager, start="soon").status_code, 400)
        self.assertFalse(Contest.objects.exists())

    def test_refusals(self):
        self.assertEqual(self.post(self.rep).status_code, 403)
        theirs = contest(self, eligible_team=self.team)
        self.login(self.other_rep)
        self.assertEqual(self.client.get(f"{URL}{theirs.pk}/standings/").status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"{URL}{theirs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(URL).json()["results"], [])
        self.login(self.rep)
        self.assertEqual(self.client.post(f"{URL}{theirs.pk}/close/").status_code, 403)
        self.login(self.other_manager)
        self.assertEqual(self.client.post(f"{URL}{theirs.pk}/close/").status_code, 404)

    def test_closing_over_the_api_freezes_results(self):
        theirs = contest(self, eligible_team=self.team)
        self.login(self.manager)
        self.assertEqual(self.client.post(f"{URL}{theirs.pk}/close/").json()["status"], "closed")
        standings = self.client.get(f"{URL}{theirs.pk}/standings/").json()
        self.assertTrue(standings["frozen"])
        self.assertEqual(self.client.post(f"{URL}{theirs.pk}/close/").status_code, 400)


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class QuestApiTests(BaseTestCase):
    def propose(self, who, **data):
        self.login(who)
        body = {
            "metric": "deals_won",
            "target": "3",
            "start": MONDAY.isoformat(),
            "end": SUNDAY.isoformat(),
        }
        body.update(data)
        return self.client.post(QUESTS, body, content_type="application/json")

    def test_a_rep_proposes_and_their_manager_approves(self):
        response = self.propose(self.rep, note="Three wins this week")
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(Quest.objects.get(pk=pk).person, self.rep)
        self.login(self.rep)
        self.assertEqual(self.client.post(f"{QUESTS}{pk}/approve/").status_code, 403)
        self.login(self.other_manager)
        self.assertEqual(self.client.post(f"{QUESTS}{pk}/approve/").status_code, 404)
        self.login(self.manager)
        self.assertEqual(self.client.post(f"{QUESTS}{pk}/approve/").json()["status"], "approved")
        self.assertEqual(self.client.post(f"{QUESTS}{pk}/decline/").status_code, 400)
        self.assertEqual(Quest.objects.get(pk=pk).decided_by, self.manager)

    def test_bad_quests_are_refused_by_field(self):
        response = self.propose(self.rep, metric="nope", end="2026-03-01", target="0")
        self.assertEqual(response.status_code, 400)
        self.assertTrue({"metric", "end"} <= set(response.json()), response.json())

    def test_people_see_their_own_quests_and_their_reports(self):
        self.propose(self.rep)
        self.propose(self.other_rep)
        self.login(self.rep2)
        self.assertEqual(self.client.get(QUESTS).json()["results"], [])
        self.login(self.manager)
        self.assertEqual(
            [q["person"] for q in self.client.get(QUESTS).json()["results"]], [self.rep.pk]
        )
        self.assertEqual(Quest.objects.filter(status=QuestStatus.PROPOSED).count(), 2)


def test_the_openapi_schema_has_the_contest_and_quest_endpoints():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in (
        "/api/v1/contests/",
        "/api/v1/contests/{id}/standings/",
        "/api/v1/contests/{id}/close/",
        "/api/v1/quests/",
        "/api/v1/quests/{id}/approve/",
    ):
        assert path in schema["paths"], path
    standings = schema["paths"]["/api/v1/contests/{id}/standings/"]["get"]["responses"]["200"]
    assert standings["content"]["application/json"]["schema"]["$ref"].endswith("ContestStandings")
