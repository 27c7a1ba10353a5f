"""The feed's order: newest first, a badge dated today by when it was given."""

from __future__ import annotations

import datetime as dt

import time_machine

from followthrough.people.lines import today_for
from followthrough.recognition.badges import award
from followthrough.recognition.feed import BADGE, KUDOS, team_feed
from followthrough.recognition.kudos import give_kudos
from tests.cast import BaseTestCase


class FeedOrderTests(BaseTestCase):
    def test_kudos_sent_this_morning_come_before_a_badge_given_earlier_today(self):
        with time_machine.travel("2026-03-10 06:00Z", tick=False):
            today = today_for(self.org)
            award(self.rep, "first-deal", "First deal", "rule:first_deal", on=today)
            # A badge for an earlier day, given now: placed on its own day.
            award(
                self.rep2,
                "first-deal",
                "First deal",
                "rule:first_deal",
                on=today - dt.timedelta(days=1),
            )
        with time_machine.travel("2026-03-10 07:00Z", tick=False):
            give_kudos(self.rep2, self.rep, "Thanks for the intro")
        kinds = [(item.kind, getattr(item.item, "person", None)) for item in team_feed(self.team)]
        self.assertEqual(
            [k for k, _ in kinds],
            [KUDOS, BADGE, BADGE],
            "kudos at 7, today's badge at 6, yesterday's",
        )
        self.assertEqual(kinds[1][1], self.rep)
