"""The access rules: who may see whom, decided in one place."""

from __future__ import annotations

from django.urls import reverse

from followthrough.people import access
from followthrough.people.lines import move
from followthrough.people.models import Team, TeamKind
from tests.cast import START, BaseTestCase


class AccessTests(BaseTestCase):
    def visible(self, viewer):
        return set(access.visible_people(viewer).values_list("name", flat=True))

    def test_a_rep_sees_only_themselves(self):
        self.assertEqual(self.visible(self.rep), {"Rita"})

    def test_a_manager_sees_themselves_and_their_reports(self):
        self.assertEqual(self.visible(self.manager), {"Maya", "Rita", "Rob"})

    def test_a_leader_sees_their_whole_subtree(self):
        self.assertEqual(self.visible(self.leader), {"Lea", "Maya", "Otto", "Rita", "Rob", "Olga"})

    def test_an_admin_sees_the_organisation_and_nothing_else(self):
        self.assertEqual(
            self.visible(self.admin), {"Lea", "Maya", "Otto", "Rita", "Rob", "Olga", "Ada"}
        )

    def test_a_rep_cannot_see_a_teammate(self):
        self.assertFalse(access.can_view_person(self.rep, self.rep2))

    def test_another_teams_manager_cannot_see_the_rep(self):
        self.assertFalse(access.can_view_person(self.other_manager, self.rep))

    def test_nobody_sees_across_organisations(self):
        for viewer in (self.admin, self.leader, self.manager, self.rep):
            self.assertFalse(access.can_view_person(viewer, self.outsider_rep))
        self.assertFalse(access.can_view_person(self.outsider, self.rep))
        self.assertFalse(access.can_view_team(self.admin, self.outsider_team))

    def test_anonymous_sees_nobody(self):
        self.assertFalse(access.can_view_person(None, self.rep))
        self.assertIsNone(access.person_of(None))

    def test_only_admins_manage_people(self):
        self.assertTrue(access.can_manage_people(self.admin))
        for viewer in (self.leader, self.manager, self.rep, None):
            self.assertFalse(access.can_manage_people(viewer))
        self.assertFalse(access.can_manage_people(self.admin, self.other_org))

    def test_teams_visible_follow_the_people_visible(self):
        names = lambda viewer: set(access.visible_teams(viewer).values_list("name", flat=True))  # noqa: E731
        self.assertEqual(names(self.manager), {"Alpha"})
        self.assertEqual(names(self.leader), {"North", "Alpha", "Beta"})
        self.assertEqual(names(self.rep), set())
        self.assertEqual(names(self.admin), {"North", "Alpha", "Beta"})

    def test_a_leader_sees_the_regions_of_their_subtree_that_hold_no_one_directly(self):
        world = Team.objects.create(organisation=self.org, name="World", kind=TeamKind.REGION)
        self.region.parent = world
        self.region.save()
        move(self.leader, manager=None, team=world, on=START)
        names = lambda viewer: set(access.visible_teams(viewer).values_list("name", flat=True))  # noqa: E731
        # North holds no one directly now: it lies between Lea's World and her teams.
        self.assertEqual(names(self.leader), {"World", "North", "Alpha", "Beta"})
        self.assertEqual(names(self.manager), {"Alpha"})
        for viewer, status in ((self.leader, 200), (self.manager, 403)):
            self.client.force_login(viewer.user)
            for page in ("team", "team_dashboard"):
                with self.subTest(viewer=viewer.name, page=page):
                    response = self.client.get(reverse(page, args=[self.region.pk]))
                    self.assertEqual(response.status_code, status)

    def test_an_inactive_person_has_no_access(self):
        self.rep.is_active = False
        self.rep.save()
        self.assertIsNone(access.person_of(self.rep.user))

    def test_a_report_chain_with_a_cycle_does_not_hang(self):
        from followthrough.people.models import ReportingLine

        # Bad data written around validation: Lea reporting to Rita.
        ReportingLine.objects.filter(person=self.leader).update(manager=self.rep)
        self.assertEqual(self.visible(self.manager), {"Maya", "Rita", "Rob", "Lea", "Otto", "Olga"})
