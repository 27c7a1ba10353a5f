"""The permission matrix: every page and endpoint tried by everyone who must be refused."""

from __future__ import annotations

from django.urls import reverse

from tests.cast import BaseTestCase

REFUSED = (403, 404)


class PermissionMatrixTests(BaseTestCase):
    def get(self, who, url, **extra):
        self.client.logout()
        if who is not None:
            self.login(who)
        return self.client.get(url, **extra)

    def assert_matrix(self, url, allowed, refused):
        for who in allowed:
            with self.subTest(url=url, who=who.name):
                self.assertEqual(self.get(who, url).status_code, 200)
        for who in refused:
            with self.subTest(url=url, who=who.name):
                self.assertIn(self.get(who, url).status_code, REFUSED)
        with self.subTest(url=url, who="anonymous"):
            response = self.get(None, url)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("login")))

    def everyone(self):
        return [
            self.rep,
            self.rep2,
            self.manager,
            self.other_manager,
            self.leader,
            self.admin,
            self.outsider,
        ]

    def test_own_pages_open_to_every_person(self):
        for name in ("my_team", "teams"):
            self.assert_matrix(reverse(name), allowed=self.everyone(), refused=[])
        # A manager's "My scorecard" redirects to their manager scorecard, which opens.
        for who in self.everyone():
            with self.subTest(url="me", who=who.name):
                self.assertEqual(self.get(who, reverse("me"), follow=True).status_code, 200)
        self.assertEqual(self.get(None, reverse("me")).status_code, 302)

    def test_a_reps_page_is_refused_to_teammates_other_managers_and_outsiders(self):
        for name in ("person", "person_history"):
            url = reverse(name, args=[self.rep.pk])
            self.assert_matrix(
                url,
                allowed=[self.rep, self.manager, self.leader, self.admin],
                refused=[self.rep2, self.other_manager, self.outsider],
            )

    def test_a_team_page_is_refused_to_its_reps_other_managers_and_outsiders(self):
        url = reverse("team", args=[self.team.pk])
        self.assert_matrix(
            url,
            allowed=[self.manager, self.leader, self.admin],
            refused=[self.rep, self.other_manager, self.outsider],
        )

    def test_settings_pages_are_for_the_organisations_admin_only(self):
        non_admins = [self.rep, self.manager, self.leader, self.other_manager]
        for name in ("settings", "people", "person_new", "team_new", "audit"):
            self.assert_matrix(
                reverse(name), allowed=[self.admin, self.outsider], refused=non_admins
            )
        for url in (
            reverse("person_edit", args=[self.rep.pk]),
            reverse("team_edit", args=[self.team.pk]),
        ):
            self.assert_matrix(url, allowed=[self.admin], refused=[*non_admins, self.outsider])

    def test_an_admin_cannot_edit_another_organisations_person_by_post(self):
        self.login(self.outsider)
        url = reverse("person_edit", args=[self.rep.pk])
        response = self.client.post(
            url, {"name": "Hacked", "role": "rep", "effective": "2025-01-01"}
        )
        self.assertEqual(response.status_code, 404)
        self.rep.refresh_from_db()
        self.assertEqual(self.rep.name, "Rita")

    def test_a_rep_cannot_change_settings_by_post(self):
        self.login(self.rep)
        response = self.client.post(reverse("settings"), {"name": "Hacked"})
        self.assertEqual(response.status_code, 403)
        self.org.refresh_from_db()
        self.assertEqual(self.org.name, "Acme")

    def test_the_team_page_lists_only_visible_people(self):
        self.login(self.manager)
        body = self.client.get(reverse("my_team")).content.decode()
        self.assertIn("Rita", body)
        self.assertIn("Rob", body)
        self.assertNotIn("Olga", body)
        self.assertNotIn("Yusuf", body)


class ApiPermissionTests(BaseTestCase):
    def api(self, who, url):
        self.client.logout()
        if who is not None:
            self.login(who)
        return self.client.get(url)

    def names(self, who):
        response = self.api(who, reverse("person-list"))
        self.assertEqual(response.status_code, 200)
        return {row["name"] for row in response.json()["results"]}

    def test_the_people_endpoint_lists_only_what_the_caller_may_see(self):
        self.assertEqual(self.names(self.rep), {"Rita"})
        self.assertEqual(self.names(self.manager), {"Maya", "Rita", "Rob"})
        self.assertEqual(self.names(self.outsider), {"Xavier", "Yusuf"})

    def test_a_person_outside_ones_scope_is_not_found(self):
        url = reverse("person-detail", args=[self.rep.pk])
        for who in (self.rep, self.manager, self.leader, self.admin):
            self.assertEqual(self.api(who, url).status_code, 200)
        for who in (self.rep2, self.other_manager, self.outsider):
            self.assertEqual(self.api(who, url).status_code, 404)

    def test_teams_endpoint_follows_the_same_rules(self):
        url = reverse("team-detail", args=[self.team.pk])
        for who in (self.manager, self.leader, self.admin):
            self.assertEqual(self.api(who, url).status_code, 200)
        for who in (self.rep, self.other_manager, self.outsider):
            self.assertEqual(self.api(who, url).status_code, 404)

    def test_anonymous_callers_are_refused(self):
        for url in (reverse("api-me"), reverse("person-list"), reverse("team-list")):
            self.assertIn(self.api(None, url).status_code, (401, 403))

    def test_a_token_authenticates_as_its_person(self):
        from followthrough.people.tokens import create_token

        token = create_token(self.manager, "script").plaintext
        self.client.logout()
        response = self.client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Bearer {token}")
        self.assertEqual(response.json()["name"], "Maya")
        response = self.client.get(reverse("api-me"), HTTP_AUTHORIZATION="Bearer ftp_wrong")
        self.assertEqual(response.status_code, 401)


class AdminSiteTests(BaseTestCase):
    def test_only_admins_reach_the_admin_site(self):
        for who in (self.rep, self.manager, self.leader):
            self.client.force_login(who.user)
            self.assertEqual(self.client.get("/admin/").status_code, 302)
        self.client.force_login(self.admin.user)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_an_organisations_admin_sees_only_their_organisation_in_the_admin_site(self):
        self.client.force_login(self.admin.user)
        body = self.client.get("/admin/people/person/").content.decode()
        self.assertIn("Rita", body)
        self.assertNotIn("Yusuf", body)
        response = self.client.get(f"/admin/people/person/{self.outsider_rep.pk}/change/")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Yusuf", self.client.get(response["Location"]).content.decode())
