"""Kudos: a monthly budget, a flood cap, clear refusals, escaped messages."""

from __future__ import annotations

import datetime as dt

from followthrough.recognition.kudos import KudosRefused, budget_of, give_kudos
from followthrough.recognition.models import Kudos, RecognitionSettings
from tests.cast import BaseTestCase

NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=n)


class KudosTests(BaseTestCase):
    def test_a_rep_thanks_a_colleague_with_a_message(self):
        kudos = give_kudos(self.rep, self.rep2, "  Thanks for the demo script!  ", now=NOW)
        self.assertEqual(kudos.message, "Thanks for the demo script!")
        self.assertEqual(kudos.organisation, self.org)

    def test_kudos_to_someone_in_another_team_of_the_organisation_are_fine(self):
        give_kudos(self.rep, self.other_rep, "Great referral", now=NOW)

    def test_it_refuses_kudos_to_oneself(self):
        with self.assertRaises(KudosRefused) as refused:
            give_kudos(self.rep, self.rep, "Me, great", now=NOW)
        self.assertEqual(refused.exception.field, "recipient")
        self.assertIn("yourself", refused.exception.message)

    def test_it_refuses_kudos_to_another_organisation(self):
        with self.assertRaises(KudosRefused) as refused:
            give_kudos(self.rep, self.outsider_rep, "Hello", now=NOW)
        self.assertIn("own organisation", refused.exception.message)

    def test_it_refuses_an_empty_or_overlong_message(self):
        with self.assertRaises(KudosRefused) as refused:
            give_kudos(self.rep, self.rep2, "   ", now=NOW)
        self.assertEqual(refused.exception.field, "message")
        with self.assertRaises(KudosRefused):
            give_kudos(self.rep, self.rep2, "x" * 501, now=NOW)
        self.assertFalse(Kudos.objects.exists())

    def test_the_monthly_budget_is_enforced_and_renews_on_the_first(self):
        for day in range(5):
            give_kudos(self.rep, self.rep2, f"thanks {day}", now=NOW + dt.timedelta(days=day))
        self.assertEqual(budget_of(self.rep, NOW + dt.timedelta(days=5)).left, 0)
        with self.assertRaises(KudosRefused) as refused:
            give_kudos(self.rep, self.rep2, "one more", now=NOW + dt.timedelta(days=6))
        self.assertEqual(refused.exception.code, "over_budget")
        april = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)
        give_kudos(self.rep, self.rep2, "new month", now=april)

    def test_the_budget_is_an_organisation_setting(self):
        RecognitionSettings.objects.create(organisation=self.org, kudos_per_month=1)
        give_kudos(self.rep, self.rep2, "one", now=NOW)
        with self.assertRaises(KudosRefused):
            give_kudos(self.rep, self.manager, "two", now=NOW + dt.timedelta(days=1))

    def test_a_flood_is_stopped_per_minute(self):
        for n in range(3):
            give_kudos(self.rep, self.rep2, f"flood {n}", now=NOW + dt.timedelta(seconds=n))
        with self.assertRaises(KudosRefused) as refused:
            give_kudos(self.rep, self.rep2, "flood 4", now=NOW + dt.timedelta(seconds=5))
        self.assertEqual(refused.exception.code, "rate_limited")
        give_kudos(self.rep, self.rep2, "later", now=NOW + minutes(2))

    def test_html_is_kept_as_text_and_escaped_on_the_page(self):
        give_kudos(
            self.rep, self.rep2, "<script>alert(1)</script> nice", now=dt.datetime.now(dt.UTC)
        )
        self.login(self.rep2)
        response = self.client.get("/recognition/")
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; nice")
