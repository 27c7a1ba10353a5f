"""The demo's managers follow through differently (Maya better than Otto), as the manager
scorecard counts it. Skipped while the demo has no coaching history (the other parts of
the coaching demo build it)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.coaching import managerscore as ms
from followthrough.coaching.models import Meeting
from followthrough.lib.periods import Period
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person

# The figures where higher means better follow-through.
BETTER_HIGHER = (ms.ONE_ON_ONES, ms.DEAL_REVIEWS, ms.COMMITMENTS, ms.SELF_REPORTS, ms.COACHING_TIME)


class DemoManagersTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from followthrough.demo.build import DEMO_SLUG, MIN_REPS, build_demo

        build_demo(reps=MIN_REPS, months=3)
        cls.org = Organisation.objects.get(slug=DEMO_SLUG)

    def test_maya_follows_through_better_than_otto(self):
        if not Meeting.objects.filter(organisation=self.org).exists():
            self.skipTest(
                "the coaching demo (meetings, commitments, self-reports) is not built yet"
            )
        maya = Person.objects.get(organisation=self.org, name="Maya Manager")
        otto = Person.objects.get(organisation=self.org, name="Otto Keller")
        today = today_for(self.org)
        period = Period(today - dt.timedelta(days=90), today)
        cards = ms.manager_scorecards(self.org, [maya.pk, otto.pk], period, today)
        better = worse = 0
        for key in BETTER_HIGHER:
            mine, his = cards[maya.pk][key].value, cards[otto.pk][key].value
            if mine is None or his is None:
                continue
            better += mine > his
            worse += mine < his
        self.assertGreater(
            better, worse, {k: (cards[maya.pk][k], cards[otto.pk][k]) for k in ms.FIGURES}
        )
        self.assertGreater(cards[maya.pk][ms.ONE_ON_ONES].value, 0)
