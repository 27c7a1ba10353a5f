"""The three rights on a small hand-built history (tests/diagnostics/rights_history.py)."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followthrough.diagnostics import three_rights
from followthrough.diagnostics.findings import Status
from followthrough.diagnostics.models import MixDimension, MixTarget
from tests.cast import BaseTestCase
from tests.diagnostics import rights_history as h


def _evidence(finding, label: str):
    return next(e.value for e in finding.evidence if str(e.label) == label)


class ThreeRightsTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        h.build(cls)
        MixTarget.objects.create(
            organisation=cls.org,
            team=cls.region,
            dimension=MixDimension.PRODUCT_FAMILY,
            value="Services",
            share=Decimal(50),
        )

    def assess(self, *people):
        return three_rights.assess(self.org, list(people), h.MAY, h.TODAY)

    def test_a_rep_who_prospected_too_little_for_her_target_needs_help(self):
        rita = self.assess(self.rep)[self.rep.pk]
        # Nov-Apr: 1,200 cold touches, 12 new deals, 6 won. Favourable wins 6 + √6 = 8.4495:
        # need 1 × 1,200 / 8.4495 = 142.0 touches; May's 60 are 42 % of it (< 60 %).
        self.assertEqual(rita.thing.status, Status.HELP)
        self.assertEqual(_evidence(rita.thing, "Cold calls and e-mails"), 60)
        self.assertEqual(_evidence(rita.thing, "Cold calls and e-mails needed"), 142)
        # New deals Mar-May: 6 against 3 × 12 / 8.4495 = 4.26 needed: not short.
        self.assertEqual(_evidence(rita.thing, "New deals (last 3 months)"), 6)
        self.assertEqual(_evidence(rita.thing, "New deals needed (last 3 months)"), Decimal("4.3"))
        self.assertIn(
            "60 cold calls and e-mails against 142 needed (42 %)", rita.thing.reasons[0].text
        )

    def test_a_rep_with_few_wins_is_judged_on_the_teams_rates_and_told_so(self):
        rob = self.assess(self.rep2)[self.rep2.pk]
        # Rob won 3 (< 5): team Nov-Apr 2,400 touches, 9 wins; 9 + 3 = 12 favourable:
        # need 2,400 / 12 = 200; he did 200 (100 %).
        self.assertEqual(rob.thing.status, Status.OK)
        self.assertIn("team's conversion rates", rob.thing.reasons[0].text)
        self.assertEqual(_evidence(rob.thing, "Cold calls and e-mails needed"), 200)

    def test_a_rep_who_only_emails_while_calls_book_more_meetings_needs_help(self):
        found = self.assess(self.rep, self.rep2)
        # Mar-May team: 230 calls booked 9 (3.9 per 100), 830 e-mails booked 8 (0.96):
        # Rob's outreach is 100 % e-mail (>= 80 %), e-mail books 25 % of calls' rate (< 60 %).
        self.assertEqual(found[self.rep2.pk].way.status, Status.HELP)
        self.assertIn(
            "100 % of cold outreach was cold e-mails", found[self.rep2.pk].way.reasons[0].text
        )
        # Rita: calls at the team's rate; e-mails 2 of 230 against 2.2 expected: chance.
        self.assertEqual(found[self.rep.pk].way.status, Status.OK)

    def test_a_rep_below_the_leaders_mix_target_is_watched(self):
        olga = self.assess(self.other_rep)[self.other_rep.pk]
        # Dec-May: 10 won, 3 Services = 30 %, below 50 - 10 points.
        self.assertEqual(olga.thing.status, Status.WATCH)
        self.assertEqual(_evidence(olga.thing, "Share of won deals: Services"), Decimal("0.3"))

    def test_right_time_is_unknown_until_the_projection_says_otherwise(self):
        rita = self.assess(self.rep)[self.rep.pk]
        self.assertEqual(rita.time.status, Status.UNKNOWN)
        self.assertEqual(rita.overall, Status.HELP)

    def test_the_chart_holds_six_months_of_prospecting_and_need(self):
        rita = self.assess(self.rep)[self.rep.pk]
        self.assertEqual([p.month.start.month for p in rita.chart], [12, 1, 2, 3, 4, 5])
        self.assertEqual(rita.chart[-1].prospecting, 60)
        self.assertIsNone(rita.chart[0].need)  # no goal in December

    def test_the_number_of_queries_does_not_grow_with_the_people(self):
        with CaptureQueriesContext(connection) as one:
            self.assess(self.rep)
        with CaptureQueriesContext(connection) as three:
            self.assess(self.rep, self.rep2, self.other_rep)
        self.assertEqual(len(one), len(three))
        # 12 for the thing and the way, 13 for the right time's projection, and the
        # shared-credit probe of each of the two engine computations.
        self.assertLessEqual(len(three), 27)

    def test_team_view_order_puts_unknown_gaps_last(self):
        found = self.assess(self.rep, self.rep2)
        found[self.rep2.pk].time.gap = Decimal(2)
        ordered = three_rights.by_gap(list(found.values()))
        self.assertEqual([r.person for r in ordered], [self.rep2, self.rep])
