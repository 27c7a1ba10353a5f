"""Contest pages: list, create with field errors, detail with standings and rules, open, close."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from followthrough.motivation.models import Contest, ContestStatus, Format
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, build_week, contest, won


def form_data(**changes) -> dict:
    data = {
        "name": "Most wins this week",
        "metric_key": "deals_won",
        "start": MONDAY.isoformat(),
        "end": SUNDAY.isoformat(),
        "format": Format.RANKING,
        "top_n": "1",
        "participation": "individual",
        "eligible_roles": ["rep"],
        "min_tenure_days": "0",
        "prizes": "",
        "rules": "",
        "status": ContestStatus.OPEN,
    }
    data.update(changes)
    return data


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class ContestPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def create(self, person, **changes):
        self.login(person)
        return self.client.post(reverse("contest_new"), form_data(**changes))

    def test_a_manager_creates_a_week_long_contest_for_their_team(self):
        response = self.create(
            self.manager, eligible_team=self.team.pk, prizes="A dinner", rules="Most wins."
        )
        created = Contest.objects.get()
        self.assertRedirects(response, reverse("contest", args=[created.pk]))
        self.assertEqual(
            (created.start, created.end, created.created_by), (MONDAY, SUNDAY, self.manager)
        )
        page = self.client.get(reverse("contest", args=[created.pk]))
        self.assertContains(page, "A dinner")
        self.assertContains(page, "Rita")

    def test_bad_input_gets_field_errors_never_a_500(self):
        cases = {
            "end": dict(end=(MONDAY - dt.timedelta(days=1)).isoformat()),
            "metric_key": dict(metric_key="no_such_metric"),
            "rules": dict(prizes="A trip to Paris", rules=""),
            "eligible_roles": dict(min_tenure_days="99999"),
            "target": dict(format=Format.TARGET, target=""),
            "top_n": dict(top_n=""),
        }
        for field, changes in cases.items():
            with self.subTest(field):
                response = self.create(self.manager, eligible_team=self.team.pk, **changes)
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Contest.objects.exists())

    def test_a_manager_must_choose_one_of_their_teams(self):
        response = self.create(self.manager)
        self.assertIn("eligible_team", response.context["form"].errors)
        response = self.create(self.manager, eligible_team=self.other_team.pk)
        self.assertIn("eligible_team", response.context["form"].errors)

    def test_a_race_on_a_rate_is_refused_with_a_reason(self):
        response = self.create(self.admin, format=Format.RACE, target="50", metric_key="win_rate")
        self.assertIn("metric_key", response.context["form"].errors)

    def test_html_in_rules_is_escaped(self):
        self.create(self.admin, prizes="<b>x</b>", rules="<script>alert(1)</script>")
        page = self.client.get(reverse("contest", args=[Contest.objects.get().pk]))
        self.assertNotContains(page, "<script>alert(1)</script>")
        self.assertContains(page, "&lt;script&gt;")

    def test_a_rep_may_not_create_or_close_and_sees_only_their_contests(self):
        theirs = contest(self, eligible_team=self.team)
        other = contest(self, eligible_team=self.other_team)
        self.login(self.rep)
        self.assertEqual(self.client.get(reverse("contest_new")).status_code, 403)
        self.assertEqual(
            self.client.post(reverse("contest_close", args=[theirs.pk])).status_code, 403
        )
        self.assertEqual(self.client.get(reverse("contest", args=[other.pk])).status_code, 404)
        page = self.client.get(reverse("contests"))
        self.assertContains(page, reverse("contest", args=[theirs.pk]))
        self.assertNotContains(page, reverse("contest", args=[other.pk]))

    def test_another_teams_manager_and_an_outsider_are_refused(self):
        theirs = contest(self, eligible_team=self.team)
        self.login(self.other_manager)
        self.assertEqual(self.client.get(reverse("contest", args=[theirs.pk])).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("contest_close", args=[theirs.pk])).status_code, 404
        )
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("contest", args=[theirs.pk])).status_code, 404)

    def test_closing_freezes_and_the_page_says_so(self):
        week = contest(self, eligible_team=self.team)
        self.login(self.manager)
        self.client.post(reverse("contest_close", args=[week.pk]))
        week.refresh_from_db()
        self.assertEqual(week.status, ContestStatus.CLOSED)
        page = self.client.get(reverse("contest", args=[week.pk]))
        self.assertContains(page, "Final results")
        self.assertEqual(self.client.get(reverse("contest_edit", args=[week.pk])).status_code, 302)
        won(self, self.rep, MONDAY)  # a late import dated in the week
        page = self.client.get(reverse("contest", args=[week.pk]))
        self.assertContains(page, "corrected after close:")
        self.assertTrue(page.context["corrected"])

    def test_the_public_sees_no_bottom_ranks_but_each_person_sees_their_own(self):
        from followthrough.people.models import Role
        from tests.cast import make_person

        extras = []
        for n in range(6):
            extra = make_person(self.org, f"Zed{n}", Role.REP)
            for _ in range(n + 3):
                won(self, extra, MONDAY)
            extras.append(extra)
        week = contest(self, top_n=1)
        self.login(self.other_rep)  # Olga: 1 win, place 9 of 9
        page = self.client.get(reverse("contest", args=[week.pk]))
        names = [line.entry.name for line in page.context["lines"]]
        self.assertIn("Olga", names)
        self.assertNotIn("Rita", names)
        self.assertEqual(page.context["hidden"], 3)  # Zed0 (3 wins) is 6th; Rita, Rob, Zed0 hidden
        self.login(self.manager)  # sees her own reports besides the public places
        names = [
            line.entry.name
            for line in self.client.get(reverse("contest", args=[week.pk])).context["lines"]
        ]
        self.assertIn("Rita", names)
        self.assertNotIn("Olga", names)

    def test_the_detail_page_costs_a_fixed_number_of_queries(self):
        week = contest(self, format=Format.RACE, target=2)
        self.login(self.admin)
        self.client.get(reverse("contest", args=[week.pk]))
        # Session, user, person, contest, visible contests, organisation, catalog, field (3),
        # engine (4, and the shared-credit probe), playing (2), notifications: the same with
        # 3 players or 300.
        with self.assertNumQueries(18):
            self.client.get(reverse("contest", args=[week.pk]))

    def test_the_list_costs_the_same_for_many_contests(self):
        for n in range(3):
            contest(self, eligible_team=self.team, name=f"Week {n}")
        self.login(self.rep)
        self.client.get(reverse("contests"))
        # Session, user, person, contests, team tree, lines, organisation, catalog, and the
        # base layout's notifications and agreement banner.
        with self.assertNumQueries(10) as first:
            self.client.get(reverse("contests"))
        for n in range(10):
            contest(self, eligible_team=self.team, name=f"More {n}")
        with self.assertNumQueries(len(first)):
            self.assertEqual(len(self.client.get(reverse("contests")).context["groups"][0][1]), 13)

    def test_every_format_renders_its_own_columns(self):
        self.login(self.manager)
        cases = {
            Format.TEAM_QUEST: dict(target=5, eligible_team=self.team),
            Format.RACE: dict(target=2, eligible_team=self.team),
            Format.MOST_IMPROVED: dict(top_n=1, eligible_team=self.team),
            Format.TARGET: dict(target=2, eligible_team=self.team),
        }
        words = {
            Format.TEAM_QUEST: '<progress max="100" value="80"',
            Format.RACE: "Reached on",
            Format.MOST_IMPROVED: "Improvement",
            Format.TARGET: "Wins",
        }
        for fmt, fields in cases.items():
            with self.subTest(fmt):
                page = self.client.get(
                    reverse("contest", args=[contest(self, format=fmt, **fields).pk])
                )
                self.assertContains(page, words[fmt])
        teams = contest(
            self, participation="team", eligible_team=self.region, eligible_roles=["rep"]
        )
        self.login(self.leader)
        self.assertContains(self.client.get(reverse("contest", args=[teams.pk])), "2 people")

    def test_a_contest_whose_metric_was_removed_explains_itself(self):
        gone = contest(self, eligible_team=self.team, metric_key="removed_metric")
        self.login(self.manager)
        page = self.client.get(reverse("contest", args=[gone.pk]))
        self.assertContains(page, "no longer exists")
        response = self.client.post(reverse("contest_close", args=[gone.pk]), follow=True)
        self.assertContains(response, "cannot be frozen")
        api = self.client.get(f"/api/v1/contests/{gone.pk}/standings/")
        self.assertEqual(api.status_code, 400)
        self.assertIn("metric", api.json())

    def test_the_history_names_metrics_and_roles_not_their_keys(self):
        self.create(self.admin, metric_key="activities")
        self.client.cookies["django_language"] = "nl"
        page = self.client.get(reverse("contest_edit", args=[Contest.objects.get().pk]))
        self.assertNotContains(page, ">activities<")
        self.assertNotContains(page, ">rep<")
        self.assertContains(page, "Verkoper")
