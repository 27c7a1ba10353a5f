"""The quest page (propose, decide) and the fair leaderboard page."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from followthrough.motivation.models import Quest, QuestStatus
from tests.cast import BaseTestCase
from tests.motivation.builders import MONDAY, SUNDAY, TODAY, build_week


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class QuestPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def propose(self, **changes):
        data = {
            "metric_key": "deals_won",
            "target": "3",
            "start": MONDAY.isoformat(),
            "end": SUNDAY.isoformat(),
            "note": "<b>three</b>",
        }
        data.update(changes)
        self.login(self.rep)
        return self.client.post(reverse("quests"), data)

    def test_a_rep_proposes_and_the_manager_approves_on_the_page(self):
        self.assertRedirects(self.propose(), reverse("quests"))
        quest = Quest.objects.get()
        self.login(self.manager)
        page = self.client.get(reverse("quests"))
        self.assertContains(page, "&lt;b&gt;three&lt;/b&gt;")
        self.assertEqual([q.pk for q in page.context["waiting"]], [quest.pk])
        self.client.post(reverse("quest_decide", args=[quest.pk]), {"decision": "approve"})
        quest.refresh_from_db()
        self.assertEqual((quest.status, quest.decided_by), (QuestStatus.APPROVED, self.manager))
        self.login(self.rep)
        mine = self.client.get(reverse("quests")).context["mine"]
        self.assertEqual(mine[0].progress.value, 2)

    def test_bad_quests_get_field_errors(self):
        response = self.propose(end="2026-03-01", metric_key="nope", target="-1")
        self.assertEqual(response.status_code, 400)
        self.assertTrue({"end", "metric_key", "target"} <= set(response.context["form"].errors))

    def test_nobody_decides_their_own_or_a_stranger_s_quest(self):
        self.propose()
        quest = Quest.objects.get()
        url = reverse("quest_decide", args=[quest.pk])
        self.assertEqual(self.client.post(url, {"decision": "approve"}).status_code, 403)
        self.login(self.other_manager)
        self.assertEqual(self.client.post(url, {"decision": "approve"}).status_code, 404)
        self.login(self.outsider)
        self.assertEqual(self.client.post(url, {"decision": "approve"}).status_code, 404)


@time_machine.travel(TODAY.isoformat() + " 12:00", tick=False)
class LeaderboardPageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_week(cls)

    def test_the_default_is_percent_of_target_for_ones_own_team(self):
        self.login(self.rep)
        page = self.client.get(reverse("leaderboard"))
        self.assertEqual(page.context["rank_by"], "target")
        self.assertEqual(page.context["team_id"], self.team.pk)
        self.assertContains(page, "1, 2, 2, 4")

    def test_absolute_ranking_shows_the_top_and_ones_own_place(self):
        self.login(self.other_rep)
        page = self.client.get(
            reverse("leaderboard"), {"by": "absolute", "team": "all", "top": "1", "period": "week"}
        )
        self.assertEqual({r.name for r in page.context["board"].public}, {"Rita", "Rob"})
        self.assertEqual(page.context["own"].rank, 3)
        self.assertContains(page, "only you see this")

    def test_nonsense_choices_fall_back_to_the_defaults(self):
        self.login(self.rep)
        params = {
            "by": "<x>",
            "team": "99999999999999999999",
            "top": "-3",
            "metric": "nope",
            "period": "eon",
        }
        page = self.client.get(reverse("leaderboard"), params)
        self.assertEqual(page.status_code, 200)
        self.assertEqual(page.context["board"].metric.key, "deals_won")
