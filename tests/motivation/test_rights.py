"""Who runs, sees and plays contests; who decides quests."""

from __future__ import annotations

import time_machine

from followthrough.motivation import rights
from followthrough.motivation.models import ContestStatus, Quest
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, contest


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class ContestRightsTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alpha = contest(cls, eligible_team=cls.team, name="Alpha week")
        cls.beta = contest(cls, eligible_team=cls.other_team, name="Beta week")
        cls.everyone = contest(cls, name="Everyone", created_by=cls.admin)
        cls.draft = contest(cls, eligible_team=cls.team, status=ContestStatus.DRAFT, name="Draft")

    def names(self, person):
        return {c.name for c in rights.visible_contests(person)}

    def test_a_rep_sees_the_open_contests_they_play_in_only(self):
        self.assertEqual(self.names(self.rep), {"Alpha week", "Everyone"})
        self.assertEqual(self.names(self.other_rep), {"Beta week", "Everyone"})

    def test_a_manager_sees_their_teams_contests_and_drafts_and_org_wide_ones(self):
        self.assertEqual(self.names(self.manager), {"Alpha week", "Everyone", "Draft"})
        self.assertTrue(rights.can_change_contest(self.manager, self.alpha))
        self.assertFalse(rights.can_change_contest(self.manager, self.beta))
        self.assertFalse(rights.can_change_contest(self.manager, self.everyone))

    def test_a_leader_runs_contests_for_the_subtree_and_an_admin_for_everyone(self):
        self.assertTrue(rights.can_change_contest(self.leader, self.beta))
        self.assertFalse(rights.may_run_org_wide(self.leader))
        self.assertTrue(rights.can_change_contest(self.admin, self.everyone))
        self.assertEqual(len(self.names(self.admin)), 4)

    def test_reps_run_nothing_and_outsiders_see_nothing(self):
        self.assertFalse(rights.can_run_contests(self.rep))
        self.assertFalse(rights.runnable_teams(self.rep).exists())
        self.assertFalse(rights.can_view_contest(self.outsider, self.everyone))
        self.assertFalse(rights.can_change_contest(self.outsider, self.everyone))
        self.assertFalse(rights.can_view_contest(self.rep, self.draft))

    def test_quests_are_decided_by_the_proposers_manager_never_the_proposer(self):
        quest = Quest.objects.create(
            organisation=self.org,
            person=self.rep,
            metric_key="deals_won",
            target=3,
            start=MONDAY,
            end=SUNDAY,
        )
        self.assertTrue(rights.can_decide_quest(self.manager, quest))
        self.assertTrue(rights.can_decide_quest(self.leader, quest))
        self.assertFalse(rights.can_decide_quest(self.rep, quest))
        self.assertFalse(rights.can_decide_quest(self.other_manager, quest))
        self.assertFalse(rights.can_decide_quest(self.outsider, quest))
