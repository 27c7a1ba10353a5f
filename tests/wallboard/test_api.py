"""The wallboard links API: the links page's rules, field errors, revoking over the API."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from followthrough.wallboard import board
from followthrough.wallboard.models import WallboardLink
from tests.cast import BaseTestCase
from tests.motivation.builders import TODAY, contest

URL = "/api/v1/wallboards/"


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class WallboardApiTests(BaseTestCase):
    def setUp(self):
        board._cache.clear()
        self.contest = contest(self, eligible_team=self.team, top_n=1)

    def post(self, who, url=URL, **data):
        self.login(who)
        body = {"name": "Sales floor", "shows": "contest", "contest": self.contest.pk}
        body.update(data)
        return self.client.post(url, body, content_type="application/json")

    def test_a_manager_makes_a_link_reads_it_back_and_revokes_it(self):
        response = self.post(self.manager)
        self.assertEqual(response.status_code, 201, response.content)
        made = response.json()
        link = WallboardLink.objects.get()
        self.assertEqual(
            (made["id"], made["contest"], made["name"]), (link.pk, self.contest.pk, "Sales floor")
        )
        self.assertTrue(made["url"].endswith(f"{URL}{link.pk}/"))
        self.assertTrue(made["wall_url"].endswith(reverse("wall", args=[link.token])))
        listed = self.client.get(URL).json()
        self.assertEqual([row["id"] for row in listed], [link.pk])
        self.assertEqual(self.client.get(made["url"]).json()["wall_url"], made["wall_url"])
        revoked = self.client.post(f"{URL}{link.pk}/revoke/")
        self.assertEqual(revoked.status_code, 200)
        self.assertIsNone(revoked.json()["wall_url"])
        self.assertEqual(revoked.json()["revoked_by_name"], self.manager.name)
        self.assertEqual(self.client.get(reverse("wall_live", args=[link.token])).status_code, 404)

    def test_a_leaderboard_link_for_the_whole_organisation_is_for_admins_only(self):
        board_link = {"shows": "leaderboard", "metric_key": "deals_won", "contest": None}
        refused = self.post(self.manager, **board_link)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("team", refused.json())
        self.assertEqual(self.post(self.admin, **board_link).status_code, 201)
        mine = self.post(self.manager, team=self.team.pk, **board_link)
        self.assertEqual(mine.status_code, 201, mine.content)

    def test_bad_input_is_named_by_field(self):
        for data, field in (
            ({"contest": None}, "contest"),
            ({"contest": 999999}, "contest"),
            ({"shows": "everything"}, "shows"),
            ({"top_n": 500}, "top_n"),
            ({"contest": "first"}, "contest"),
        ):
            response = self.post(self.manager, **data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn(field, response.json(), data)
        self.assertFalse(WallboardLink.objects.exists())

    def test_refusals(self):
        self.assertEqual(self.post(self.rep).status_code, 403)
        self.assertEqual(self.client.get(URL).status_code, 403)
        # Another team's manager: may not share the contest, nor see the link.
        self.assertEqual(self.post(self.other_manager).status_code, 400)
        self.post(self.manager)
        link = WallboardLink.objects.get()
        self.login(self.other_manager)
        self.assertEqual(self.client.get(URL).json(), [])
        self.assertEqual(self.client.get(f"{URL}{link.pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"{URL}{link.pk}/revoke/").status_code, 404)
        self.login(self.outsider)
        self.assertIn(self.client.get(f"{URL}{link.pk}/").status_code, (403, 404))
        self.client.logout()
        self.assertIn(self.client.get(URL).status_code, (401, 403))
        link.refresh_from_db()
        self.assertFalse(link.is_revoked)


def test_the_openapi_schema_has_the_wallboard_endpoints():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in (
        "/api/v1/wallboards/",
        "/api/v1/wallboards/{id}/",
        "/api/v1/wallboards/{id}/revoke/",
    ):
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/wallboards/"]
