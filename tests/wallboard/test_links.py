"""Wallboard links: who may make and revoke them, what a TV sees, and what it never sees."""

from __future__ import annotations

import json
from unittest import mock

import time_machine
from django.urls import reverse

from followthrough.audit.registry import history_for
from followthrough.wallboard import board, sharing
from followthrough.wallboard.models import Shows, WallboardLink
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, TODAY, build_week, contest, won

NOON = TODAY.isoformat() + " 12:00"


def live(client, link, **headers):
    return client.get(reverse("wall_live", args=[link.token]), **headers)


@time_machine.travel(NOON, tick=False)
class LinkRightsTests(BaseTestCase):
    def setUp(self):
        board._cache.clear()
        self.contest = contest(self, eligible_team=self.team, top_n=1)

    def post(self, person, **data):
        self.login(person)
        values = {"shows": "contest", "contest": self.contest.pk, "period": "month"}
        values.update({"rank_by": "target", "top_n": 5, "metric_key": "deals_won", "name": ""})
        values.update(data)
        return self.client.post(reverse("wallboard_links"), values)

    def test_manager_of_the_team_creates_a_link_and_it_is_audited(self):
        response = self.post(self.manager)
        self.assertRedirects(response, reverse("wallboard_links"))
        link = WallboardLink.objects.get()
        self.assertEqual((link.contest, link.created_by), (self.contest, self.manager))
        self.assertGreaterEqual(len(link.token), 43)
        entries = list(history_for(link))
        self.assertEqual(len(entries), 1)
        self.assertNotIn(link.token, json.dumps(entries[0].changes, default=str))
        page = self.client.get(reverse("wallboard_links"))
        self.assertContains(page, link.token)

    def test_rep_may_not_create_or_even_open_the_page(self):
        self.assertEqual(self.post(self.rep).status_code, 403)
        self.assertEqual(self.client.get(reverse("wallboard_links")).status_code, 403)
        self.assertFalse(WallboardLink.objects.exists())

    def test_manager_of_another_team_may_not_share_this_contest(self):
        response = self.post(self.other_manager)
        self.assertEqual(response.status_code, 400)
        self.assertIn("contest", response.context["form"].errors)
        self.assertFalse(WallboardLink.objects.exists())

    def test_manager_may_not_share_another_teams_leaderboard_nor_the_whole_org(self):
        for team in (str(self.other_team.pk), "all"):
            response = self.post(self.manager, shows="leaderboard", contest="", team=team)
            self.assertEqual(response.status_code, 400)
        self.assertFalse(WallboardLink.objects.exists())
        response = self.post(self.manager, shows="leaderboard", contest="", team=self.team.pk)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(WallboardLink.objects.get().shows, Shows.LEADERBOARD)

    def test_admin_shares_the_whole_organisation(self):
        response = self.post(self.admin, shows="leaderboard", contest="", team="all")
        self.assertEqual(response.status_code, 302)
        self.assertIsNone(WallboardLink.objects.get().team)

    def test_bad_input_is_refused_field_by_field(self):
        response = self.post(self.manager, contest="nonsense", top_n=999)
        self.assertEqual(response.status_code, 400)
        self.assertIn("contest", response.context["form"].errors)
        self.assertIn("top_n", response.context["form"].errors)

    def test_other_people_may_not_revoke_and_other_organisation_gets_404(self):
        link = sharing.create_link(self.manager, shows=Shows.CONTEST, contest=self.contest)
        url = reverse("wallboard_revoke", args=[link.pk])
        self.login(self.other_manager)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.assertNotContains(self.client.get(reverse("wallboard_links")), link.token)
        self.login(self.other_manager)
        self.assertNotContains(self.client.get(reverse("wallboard_links")), link.token)
        link.refresh_from_db()
        self.assertIsNone(link.revoked_at)

    def test_leader_above_the_team_revokes_and_the_wall_is_gone(self):
        link = sharing.create_link(self.manager, shows=Shows.CONTEST, contest=self.contest)
        self.assertEqual(self.client.get(reverse("wall", args=[link.token])).status_code, 200)
        self.assertEqual(live(self.client, link).status_code, 200)
        self.login(self.leader)
        response = self.client.post(reverse("wallboard_revoke", args=[link.pk]))
        self.assertRedirects(response, reverse("wallboard_links"))
        link.refresh_from_db()
        self.assertEqual(link.revoked_by, self.leader)
        self.client.logout()
        gone = self.client.get(reverse("wall", args=[link.token]))
        self.assertEqual(gone.status_code, 404)
        self.assertContains(gone, "revoked or no longer exists", status_code=404)
        self.assertNotContains(gone, self.contest.name, status_code=404)
        response = live(self.client, link)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"gone": True})
        self.assertEqual(len(history_for(link)), 2)


@time_machine.travel(NOON, tick=False)
class WallTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def setUp(self):
        board._cache.clear()

    def test_tokens_are_long_random_and_unguessable(self):
        tokens = {sharing.new_token() for _ in range(200)}
        self.assertEqual(len(tokens), 200)
        self.assertTrue(all(len(t) >= 43 for t in tokens))
        for guess in ("", "a", "x" * 43, "x" * 500):
            self.assertIsNone(sharing.live_link(guess))
        self.assertEqual(self.client.get("/wall/" + "x" * 43 + "/").status_code, 404)

    def test_wall_needs_no_login_and_shows_only_public_places(self):
        # Ranking, top 1, everyone in the organisation: public places are the first five.
        game = contest(self, top_n=1)
        link = sharing.create_link(self.admin, shows=Shows.CONTEST, contest=game)
        page = self.client.get(reverse("wall", args=[link.token]))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, game.name)
        self.assertContains(page, "Rita")
        data = live(self.client, link).json()
        self.assertEqual([r["name"] for r in data["rows"]][:1], ["Rita"])
        self.assertEqual(set(data["rows"][0]), {"key", "name", "rank", "value", "raw", "wins"})

    def test_private_positions_are_never_on_the_wall(self):
        # Rita and Rob share first place (two wins each); Olga, third, is nobody's business
        # on a TV when only the first place is public.
        game = contest(self, top_n=1)
        link = sharing.create_link(self.admin, shows=Shows.CONTEST, contest=game)
        with mock.patch("followthrough.motivation.showing.PUBLIC_PLACES", 1):
            data = board.board_of(link)
        self.assertEqual(sorted(r["name"] for r in data["rows"]), ["Rita", "Rob"])
        self.assertNotIn("Olga", json.dumps(data))

    def test_names_are_escaped(self):
        self.rep.name = '<script>alert("x")</script>'
        self.rep.save()
        game = contest(self, top_n=1)
        link = sharing.create_link(self.admin, shows=Shows.CONTEST, contest=game)
        page = self.client.get(reverse("wall", args=[link.token]))
        self.assertNotContains(page, '<script>alert("x")</script>')
        self.assertContains(page, "&lt;script&gt;")

    def test_etag_makes_an_unchanged_board_a_304_and_a_new_win_shows(self):
        game = contest(self, top_n=1)
        link = sharing.create_link(self.admin, shows=Shows.CONTEST, contest=game)
        first = live(self.client, link)
        etag = first["ETag"]
        self.assertIn("no-cache", first["Cache-Control"])
        again = live(self.client, link, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(again.status_code, 304)
        won(self, self.other_rep, MONDAY)
        won(self, self.other_rep, MONDAY)
        won(self, self.other_rep, MONDAY)
        board._cache.clear()  # the half-second freshness window, elapsed
        after = live(self.client, link, HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(after.status_code, 200)
        self.assertEqual(after.json()["rows"][0]["name"], "Olga")

    def test_live_endpoint_query_count_is_constant(self):
        game = contest(self, top_n=1)
        link = sharing.create_link(self.admin, shows=Shows.CONTEST, contest=game)
        live(self.client, link)
        board._cache.clear()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            live(self.client, link)
        for n in range(4):
            won(self, self.rep2, MONDAY, 100 + n)
        board._cache.clear()
        with CaptureQueriesContext(connection) as more:
            live(self.client, link)
        self.assertEqual(len(few), len(more))
        # A cached board costs one query: is the link still live?
        with self.assertNumQueries(1):
            live(self.client, link)

    def test_leaderboard_link_shows_the_top_n(self):
        link = sharing.create_link(
            self.admin,
            shows=Shows.LEADERBOARD,
            metric_key="deals_won",
            period="week",
            rank_by="absolute",
            top_n=2,
        )
        data = live(self.client, link).json()
        self.assertEqual([r["name"] for r in data["rows"]], ["Rita", "Rob", "Olga"][:2])


class DemoTests(BaseTestCase):
    def test_the_demo_link_shows_this_weeks_contest_and_its_address_is_printable(self):
        from followthrough.lib.periods import PeriodKind, period_of
        from followthrough.wallboard.demo import demo_url, seed

        week = period_of(PeriodKind.WEEK, TODAY)
        game = contest(self, start=week.start, end=week.end)
        link = seed(self.org, TODAY)
        self.assertEqual((link.contest, link.created_by), (game, self.manager))
        self.assertTrue(demo_url(self.org).endswith(f"/wall/{link.token}/"))
        sharing.revoke(link, self.manager)
        self.assertIsNone(demo_url(self.org))
