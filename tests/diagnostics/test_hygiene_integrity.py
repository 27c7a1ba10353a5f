"""Integrity signals on small hand-built histories, with the numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import timezone

from followthrough.assessments.models import Review, ReviewStatus
from followthrough.crm.models import DealChange
from followthrough.diagnostics import integrity
from followthrough.diagnostics.integrity import Kind, RepIntegrity, Signal
from tests.cast import BaseTestCase
from tests.metrics.helpers import activity, deal, stage_change

# The window: 90 days back from 10 Apr 2026, from 10 Jan.
TODAY = dt.date(2026, 4, 10)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), dt.UTC)


def change(org, deal_, field, old, new, day, hour=9) -> DealChange:
    return DealChange.objects.create(
        organisation=org,
        deal=deal_,
        field=field,
        old_value=old,
        new_value=new,
        changed_at=at(day, hour),
    )


class IntegrityRuleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org, rita, rob = cls.org, cls.rep, cls.rep2
        d = dt.date
        # Pushed three times (20 Jan -> 3 Feb -> 17 Feb -> 10 Mar): a signal.
        cls.pushed = deal(org, rita, created=d(2026, 1, 5), closed=d(2026, 3, 10), name="Pushed")
        cls.pushes = [
            change(org, cls.pushed, "close_date", "2026-01-20", "2026-02-03", d(2026, 1, 21)),
            change(org, cls.pushed, "close_date", "2026-02-03", "2026-02-17", d(2026, 2, 4)),
            change(org, cls.pushed, "close_date", "2026-02-17", "2026-03-10", d(2026, 2, 18)),
        ]
        # Pushed twice and pulled in once: two pushes, no signal.
        twice = deal(org, rita, created=d(2026, 1, 5), closed=d(2026, 3, 1), name="Twice")
        change(org, twice, "close_date", "2026-01-20", "2026-02-20", d(2026, 1, 21))
        change(org, twice, "close_date", "2026-02-20", "2026-02-10", d(2026, 1, 28))
        change(org, twice, "close_date", "2026-02-10", "2026-03-01", d(2026, 2, 11))
        # Cut 11 days before the quarter ends (20 -> 31 Mar, < 15): a signal; 39 days
        # before, or raised: none.
        cut = deal(org, rob, created=d(2026, 1, 5), closed=d(2026, 5, 1), name="Cut")
        cls.cut = change(org, cut, "amount", "20000.00", "15000.00", d(2026, 3, 20))
        change(org, cut, "amount", "25000.00", "20000.00", d(2026, 2, 20))
        change(org, cut, "amount", "15000.00", "16000.00", d(2026, 3, 25))
        # The stage order: five deals Qualification -> Proposal -> Negotiation -> won.
        for _ in range(5):
            won = deal(org, rob, created=d(2025, 6, 1), closed=d(2025, 8, 1), outcome="won")
            stage_change(org, won, "Qualification", d(2025, 6, 1))
            stage_change(org, won, "Proposal", d(2025, 6, 20), from_stage="Qualification")
            stage_change(org, won, "Negotiation", d(2025, 7, 10), from_stage="Proposal")
            stage_change(org, won, "Closed Won", d(2025, 8, 1), from_stage="Negotiation")
        back = deal(org, rob, created=d(2026, 1, 5), closed=d(2026, 5, 1), name="Back")
        stage_change(org, back, "Proposal", d(2026, 1, 5), from_stage="Qualification")
        stage_change(org, back, "Negotiation", d(2026, 2, 1), from_stage="Proposal")
        cls.regression = stage_change(
            org, back, "Proposal", d(2026, 2, 10), from_stage="Negotiation"
        )
        # Ten close-date edits on 30 and 31 Mar, before Rita's review shared on 1 Apr.
        busy = deal(org, rita, created=d(2026, 1, 5), closed=d(2026, 6, 1), name="Busy")
        for i in range(10):
            day = d(2026, 3, 30 + i % 2)
            change(
                org,
                busy,
                "close_date",
                f"2026-05-{i + 1:02d}",
                f"2026-04-{i + 1:02d}",
                day,
                8 + i % 8,
            )
        cls.review = Review.objects.create(
            organisation=org,
            rep=rita,
            manager=cls.manager,
            period_start=d(2026, 1, 1),
            period_end=d(2026, 3, 31),
            status=ReviewStatus.SHARED,
            shared_at=at(d(2026, 4, 1), 10),
        )
        # Twelve activities of 2-6 Mar logged on Friday 13 Mar at 18:00: 7 days or more late.
        for i in range(12):
            day = d(2026, 3, 2 + i % 5)
            activity(org, rita, day, logged_at=at(d(2026, 3, 13), 18))
        # Rob logs twelve two days late: not long after.
        for _ in range(12):
            activity(org, rob, d(2026, 3, 2), logged_at=at(d(2026, 3, 4), 18))

    def kinds(self, signals) -> list[Kind]:
        return sorted(s.kind for s in signals)

    def test_each_rule_finds_its_signal_and_only_it(self):
        found = integrity.signals(self.org, [self.rep.pk, self.rep2.pk], TODAY)
        self.assertEqual(
            self.kinds(found[self.rep.pk]),
            sorted([Kind.PUSH, Kind.EDITS_BEFORE_REVIEW, Kind.BULK_LOG]),
        )
        self.assertEqual(
            self.kinds(found[self.rep2.pk]), sorted([Kind.AMOUNT_CUT, Kind.REGRESSION])
        )

    def test_signals_cite_the_history_records_behind_them(self):
        found = integrity.signals(self.org, [self.rep.pk, self.rep2.pk], TODAY)
        by_kind = {s.kind: s for pk in found for s in found[pk]}
        push = by_kind[Kind.PUSH]
        self.assertEqual([r.pk for r in push.records], [c.pk for c in self.pushes])
        self.assertEqual(push.params["count"], 3)
        self.assertEqual(
            (push.params["first"], push.params["last"]),
            (dt.date(2026, 1, 20), dt.date(2026, 3, 10)),
        )
        cut = by_kind[Kind.AMOUNT_CUT]
        self.assertEqual([r.pk for r in cut.records], [self.cut.pk])
        self.assertEqual(
            (cut.params["old"], cut.params["new"], cut.params["days"]),
            (Decimal(20000), Decimal(15000), 11),
        )
        regression = by_kind[Kind.REGRESSION]
        self.assertEqual(regression.records[0].pk, self.regression.pk)
        self.assertEqual(
            (regression.records[0].old, regression.records[0].new), ("Negotiation", "Proposal")
        )
        edits = by_kind[Kind.EDITS_BEFORE_REVIEW]
        # 10 edits in the 3 days before; 16 edits of Rita's deals (Pushed 3, Twice 3, Busy
        # 10) from her first in the window (21 Jan 9:00) to 11 Apr: 79 whole days, so
        # 16 × 3 / 79 = 0.6 in a usual 3 days.
        self.assertEqual((edits.params["count"], edits.params["usual"]), (10, Decimal("0.6")))
        self.assertEqual(edits.records[0].model, "review")
        self.assertEqual(len(edits.records), 11)
        bulk = by_kind[Kind.BULK_LOG]
        self.assertEqual((bulk.params["count"], bulk.params["date"]), (12, dt.date(2026, 3, 13)))
        self.assertEqual(
            (bulk.params["first"], bulk.params["last"]), (dt.date(2026, 3, 2), dt.date(2026, 3, 6))
        )
        self.assertIn("12", bulk.said.text)

    def test_a_sitting_needs_the_teams_count(self):
        from followthrough.diagnostics.models import DiagnosticSettings

        DiagnosticSettings.objects.create(organisation=self.org, team=self.team, bulk_count=13)
        found = integrity.signals(self.org, [self.rep.pk], TODAY)
        self.assertNotIn(Kind.BULK_LOG, self.kinds(found[self.rep.pk]))

    def test_one_pushed_deal_does_not_flag_a_rep_but_a_sitting_and_an_edit_surge_do(self):
        found = integrity.review(self.org, [self.rep.pk, self.rep2.pk], TODAY)
        self.assertEqual(found[self.rep.pk].flagged, [Kind.EDITS_BEFORE_REVIEW, Kind.BULK_LOG])
        self.assertEqual(found[self.rep2.pk].flagged, [])

    def test_a_fixed_number_of_queries_whatever_the_number_of_people(self):
        with self.assertNumQueries(QUERIES):
            integrity.review(self.org, [self.rep.pk], TODAY)
        with self.assertNumQueries(QUERIES):
            integrity.review(self.org, [self.rep.pk, self.rep2.pk, self.other_rep.pk], TODAY)


QUERIES = 10


class RepFlagTests(SimpleTestCase):
    """Which signals flag a rep: shares of their deals, worked out by hand (no database)."""

    def made(self, kind, deals, total, exits=0, share=None) -> RepIntegrity:
        signals = [Signal(kind, 1, TODAY, deal_id=i) for i in range(deals)]
        return RepIntegrity(1, signals, deals=total, exits=exits, regression_share=share)

    def test_pushes_on_a_share_of_the_deals(self):
        # 3 of 20 deals = 15 %: flagged; 2 of 10 = 20 % but fewer than 3 deals: not.
        self.assertEqual(integrity._flags(self.made(Kind.PUSH, 3, 20)), [Kind.PUSH])
        self.assertEqual(integrity._flags(self.made(Kind.PUSH, 2, 10)), [])
        self.assertEqual(integrity._flags(self.made(Kind.PUSH, 3, 21)), [])  # 14.3 %

    def test_regressions_against_the_organisations_share(self):
        # Organisation: 10 % of moves out of negotiation go back. 3 of 15 exits = 20 % = 2 ×:
        # flagged; 3 of 16 = 18.75 %: not; 2 of 4: fewer than 3 deals.
        share = Decimal("0.1")
        self.assertEqual(
            integrity._flags(self.made(Kind.REGRESSION, 3, 30, 15, share)), [Kind.REGRESSION]
        )
        self.assertEqual(integrity._flags(self.made(Kind.REGRESSION, 3, 30, 16, share)), [])
        self.assertEqual(integrity._flags(self.made(Kind.REGRESSION, 2, 30, 4, share)), [])

    def test_quarter_end(self):
        self.assertEqual(integrity.quarter_end(dt.date(2026, 2, 3)), dt.date(2026, 3, 31))
        self.assertEqual(integrity.quarter_end(dt.date(2026, 12, 1)), dt.date(2026, 12, 31))
