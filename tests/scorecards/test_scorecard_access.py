"""Who may open which scorecard, drill-down, dashboard and export; everyone else is refused."""

from __future__ import annotations

from django.urls import reverse

from tests.cast import BaseTestCase


class ScorecardAccessTests(BaseTestCase):
    def status(self, who, url):
        if who is None:
            self.client.logout()
        else:
            self.login(who)
        return self.client.get(url).status_code

    def person_urls(self, person):
        return [
            reverse("person_scorecard", args=[person.pk]),
            reverse("person_records", args=[person.pk, "deals_won"]),
        ]

    def team_urls(self, team):
        return [
            reverse("team_dashboard", args=[team.pk]),
            reverse("team_records", args=[team.pk, "deals_won"]),
            reverse("team_export", args=[team.pk, "csv"]),
            reverse("team_export", args=[team.pk, "xlsx"]),
        ]

    def test_a_rep_sees_their_own_scorecard_and_records(self):
        for url in [reverse("me"), *self.person_urls(self.rep)]:
            self.assertEqual(self.status(self.rep, url), 200, url)

    def test_a_rep_is_refused_a_teammates_scorecard_and_records(self):
        for url in self.person_urls(self.rep2):
            self.assertEqual(self.status(self.rep, url), 403, url)

    def test_managers_leaders_and_admins_see_the_scorecards_below_them(self):
        for who in (self.manager, self.leader, self.admin):
            for url in self.person_urls(self.rep):
                self.assertEqual(self.status(who, url), 200, (who, url))

    def test_another_teams_manager_is_refused(self):
        for url in self.person_urls(self.rep) + self.team_urls(self.team):
            self.assertEqual(self.status(self.other_manager, url), 403, url)

    def test_another_organisation_gets_not_found(self):
        for url in self.person_urls(self.rep) + self.team_urls(self.team):
            self.assertEqual(self.status(self.outsider, url), 404, url)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        for url in (
            [reverse("me"), reverse("dashboard")]
            + self.person_urls(self.rep)
            + self.team_urls(self.team)
        ):
            self.client.logout()
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("login"), response["Location"])

    def test_a_rep_is_refused_the_team_dashboard_and_its_exports(self):
        for url in [reverse("dashboard"), *self.team_urls(self.team)]:
            self.assertEqual(self.status(self.rep, url), 403, url)

    def test_the_manager_leader_and_admin_open_the_team_dashboard_and_exports(self):
        for who in (self.manager, self.leader, self.admin):
            for url in self.team_urls(self.team):
                self.assertEqual(self.status(who, url), 200, (who, url))

    def test_the_dashboard_link_leads_to_the_viewers_own_team(self):
        self.login(self.manager)
        response = self.client.get(reverse("dashboard"))
        self.assertRedirects(
            response, reverse("team_dashboard", args=[self.team.pk]), fetch_redirect_response=False
        )

    def test_an_unknown_metric_is_not_found(self):
        self.login(self.rep)
        url = reverse("person_records", args=[self.rep.pk, "no_such_metric"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_bad_period_parameters_fall_back_to_this_month(self):
        self.login(self.rep)
        for query in ("?kind=decade", "?kind=month&date=2026-02-31", "?kind=custom&start=x"):
            self.assertEqual(self.client.get(reverse("me") + query).status_code, 200, query)
