"""The recognition pages: the feed with kudos to give, a person's badges, the stories,
and every refusal (another team, another organisation, oneself)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from followthrough.recognition.badges import award, ensure_badges
from followthrough.recognition.kudos import give_kudos
from followthrough.recognition.models import BadgeAward, Kudos, RecognitionSettings, Story
from followthrough.recognition.stories import write_story
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal, product

FEED = "/recognition/"


class FeedPageTests(BaseTestCase):
    def test_a_rep_gives_kudos_and_sees_them_in_the_team_feed(self):
        self.login(self.rep)
        response = self.client.post(
            reverse("recognition_kudos"), {"recipient": self.rep2.pk, "message": "Great demo"}
        )
        self.assertRedirects(response, FEED)
        page = self.client.get(FEED)
        self.assertContains(page, "Great demo")
        self.assertContains(page, "4 of 5 kudos left this month")
        self.login(self.rep2)
        self.assertContains(self.client.get(FEED), "Great demo")

    def test_refusals_are_shown_on_the_form_never_a_500(self):
        self.login(self.rep)
        response = self.client.post(
            reverse("recognition_kudos"), {"recipient": self.rep.pk, "message": "Me"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Select a valid choice", status_code=400)
        response = self.client.post(
            reverse("recognition_kudos"), {"recipient": self.outsider_rep.pk, "message": "Hi"}
        )
        self.assertEqual(response.status_code, 400)
        response = self.client.post(reverse("recognition_kudos"), {"recipient": "x"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Kudos.objects.exists())

    def test_over_budget_is_refused_clearly(self):
        RecognitionSettings.objects.create(organisation=self.org, kudos_per_month=1)
        give_kudos(self.rep, self.rep2, "one")
        self.login(self.rep)
        response = self.client.post(
            reverse("recognition_kudos"), {"recipient": self.manager.pk, "message": "two"}
        )
        self.assertContains(response, "budget renews on the first", status_code=400)

    def test_another_teams_feed_is_refused_to_a_rep_and_its_manager(self):
        give_kudos(self.other_manager, self.other_rep, "Beta secret")
        self.login(self.rep)
        self.assertEqual(self.client.get(FEED, {"team": self.other_team.pk}).status_code, 403)
        self.assertNotContains(self.client.get(FEED), "Beta secret")
        self.login(self.other_manager)
        self.assertEqual(self.client.get(FEED, {"team": self.team.pk}).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(FEED, {"team": self.team.pk}).status_code, 404)
        self.assertEqual(self.client.get(FEED, {"team": "abc"}).status_code, 404)
        self.login(self.leader)
        self.assertContains(self.client.get(FEED, {"team": self.other_team.pk}), "Beta secret")

    def test_anonymous_visitors_are_sent_to_log_in(self):
        response = self.client.get(FEED)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_feed_costs_the_same_queries_however_many_items(self):
        give_kudos(self.rep, self.rep2, "one")
        award(self.rep, "first-deal", "x", "test")
        self.login(self.rep2)
        self.client.get(FEED)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(FEED)
        for n in range(3):
            give_kudos(
                self.manager, self.rep, f"more {n}", now=timezone.now() + dt.timedelta(minutes=n)
            )
            award(self.rep2, "contest-winner", "x", f"contest:{n}")
        with CaptureQueriesContext(connection) as many:
            self.client.get(FEED)
        self.assertEqual(len(few), len(many))


class BadgePageTests(BaseTestCase):
    def url(self, person) -> str:
        return reverse("recognition_person", args=[person.pk])

    def test_a_manager_grants_a_badge_and_the_rep_sees_it(self):
        badge = ensure_badges(self.org)["team-player"]
        self.login(self.manager)
        response = self.client.post(
            reverse("recognition_grant", args=[self.rep.pk]),
            {"badge": badge.pk, "reason": "Shared her <b>playbook</b>"},
        )
        self.assertRedirects(response, self.url(self.rep))
        self.login(self.rep)
        page = self.client.get(self.url(self.rep))
        self.assertContains(page, "Team player")
        self.assertContains(page, "Shared her &lt;b&gt;playbook&lt;/b&gt;")
        self.assertNotContains(page, "Grant a badge")

    def test_nobody_grants_themselves_or_outside_their_line(self):
        badge = ensure_badges(self.org)["team-player"]
        for who, whom, status in (
            (self.manager, self.manager, 403),
            (self.rep2, self.rep, 403),
            (self.other_manager, self.rep, 403),
            (self.outsider, self.rep, 404),
        ):
            self.login(who)
            response = self.client.post(
                reverse("recognition_grant", args=[whom.pk]), {"badge": badge.pk, "reason": "x"}
            )
            self.assertEqual(response.status_code, status, (who, whom))
        self.assertFalse(BadgeAward.objects.exists())

    def test_a_rule_badge_cannot_be_granted_through_the_form(self):
        badge = ensure_badges(self.org)["record-month"]
        self.login(self.manager)
        response = self.client.post(
            reverse("recognition_grant", args=[self.rep.pk]), {"badge": badge.pk, "reason": "x"}
        )
        self.assertEqual(response.status_code, 400)

    def test_badges_are_seen_by_teammates_and_the_line_only(self):
        self.login(self.rep2)
        self.assertEqual(self.client.get(self.url(self.rep)).status_code, 200)
        self.login(self.other_rep)
        self.assertEqual(self.client.get(self.url(self.rep)).status_code, 403)
        self.login(self.other_manager)
        self.assertEqual(self.client.get(self.url(self.rep)).status_code, 403)
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.url(self.rep)).status_code, 404)


class StoryPageTests(BaseTestCase):
    def setUp(self):
        self.gtx = product(self.org, "GTX Cloud")
        self.won = deal(
            self.org,
            self.rep,
            closed=timezone.localdate() - dt.timedelta(days=5),
            outcome="won",
            amount=5000,
            name="Initech renewal",
            product=self.gtx,
            stage="Closed won",
        )
        self.open = deal(self.org, self.rep, outcome="open", name="Still open")

    def url(self, deal_) -> str:
        return reverse("recognition_story", args=[deal_.pk])

    def test_the_owner_writes_a_story_the_team_finds_by_product_and_stage(self):
        self.login(self.rep)
        self.assertContains(self.client.get(reverse("recognition_stories")), "Initech renewal")
        response = self.client.post(
            self.url(self.won),
            {"worked": "Multi-threaded early", "did_not_work": "", "shared": "on"},
        )
        self.assertRedirects(response, reverse("recognition_stories"))
        story = Story.objects.get()
        self.assertEqual(
            (story.outcome, story.product, story.stage), ("won", self.gtx, "Closed won")
        )
        self.login(self.rep2)
        found = self.client.get(
            reverse("recognition_stories"), {"product": self.gtx.pk, "stage": "Closed won"}
        )
        self.assertContains(found, "Multi-threaded early")
        self.assertContains(self.client.get(FEED), "Multi-threaded early")
        none = self.client.get(reverse("recognition_stories"), {"outcome": "lost"})
        self.assertNotContains(none, "Multi-threaded early")

    def test_a_manager_is_offered_their_reports_closed_deals(self):
        self.login(self.manager)
        self.assertContains(self.client.get(reverse("recognition_stories")), "Initech renewal")
        self.login(self.other_manager)
        self.assertNotContains(self.client.get(reverse("recognition_stories")), "Initech renewal")

    def test_a_manager_writes_one_too_and_an_unshared_story_stays_in_the_line(self):
        write_story(
            self.manager, self.won, worked="", did_not_work="I stepped in too late", shared=False
        )
        self.login(self.rep2)
        self.assertNotContains(self.client.get(reverse("recognition_stories")), "stepped in")
        self.login(self.leader)
        self.assertContains(self.client.get(reverse("recognition_stories")), "stepped in")

    def test_only_the_owner_or_their_line_writes_and_only_on_a_closed_deal(self):
        for who, deal_, status in (
            (self.rep2, self.won, 403),
            (self.other_manager, self.won, 403),
            (self.rep, self.open, 403),
            (self.outsider, self.won, 404),
        ):
            self.login(who)
            self.assertEqual(self.client.get(self.url(deal_)).status_code, status, who)
        self.login(self.rep)
        response = self.client.post(self.url(self.won), {"worked": "", "did_not_work": ""})
        self.assertContains(response, "what did not", status_code=400)

    def test_another_teams_shared_story_is_not_shown(self):
        theirs = deal(
            self.org, self.other_rep, closed=dt.date(2026, 2, 3), outcome="lost", name="Beta loss"
        )
        write_story(self.other_rep, theirs, worked="", did_not_work="Priced too high")
        self.login(self.rep)
        self.assertNotContains(self.client.get(reverse("recognition_stories")), "Priced too high")
        self.login(self.other_manager)
        self.assertContains(self.client.get(reverse("recognition_stories")), "Priced too high")


class SettingsPageTests(BaseTestCase):
    URL = "/recognition/settings/"

    def test_an_admin_sets_the_budget_and_it_is_audited(self):
        from followthrough.audit.models import AuditEntry

        self.login(self.admin)
        response = self.client.post(
            self.URL, {"kudos_per_month": 8, "kudos_per_minute": 2, "streak_weeks": 6}
        )
        self.assertRedirects(response, self.URL)
        found = RecognitionSettings.objects.get(organisation=self.org)
        self.assertEqual((found.kudos_per_month, found.streak_weeks), (8, 6))
        self.assertTrue(
            AuditEntry.objects.filter(content_type__model="recognitionsettings").exists()
        )

    def test_bad_values_are_field_errors(self):
        self.login(self.admin)
        response = self.client.post(
            self.URL, {"kudos_per_month": 0, "kudos_per_minute": "x", "streak_weeks": 99}
        )
        self.assertEqual(response.status_code, 400)
        for field in ("kudos_per_month", "kudos_per_minute", "streak_weeks"):
            self.assertContains(response, f'id="id_{field}_error"', status_code=400)

    def test_only_admins_open_it(self):
        for who in (self.rep, self.manager, self.leader):
            self.login(who)
            self.assertEqual(self.client.get(self.URL).status_code, 403)
