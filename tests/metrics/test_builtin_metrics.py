"""Every built-in metric gives the hand-computed figure on a small, known set of facts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.metrics.catalog import BUILTIN_KEYS
from tests.cast import BaseTestCase
from tests.metrics.helpers import account, activity, deal, lead, stage_change

D = dt.date
Q1 = period_of(PeriodKind.QUARTER, D(2024, 1, 1))
JANUARY = period_of(PeriodKind.MONTH, D(2024, 1, 1))

# Rita's first quarter of 2024, worked out by hand from the facts in build_facts.
RITA_Q1 = {
    "activities": 6,  # the call of 31 Dec and the task of 1 Apr fall outside
    "calls": 2,
    "emails": 1,
    "meetings": 2,
    "demos": 1,
    "tasks": 0,
    "first_meetings_held": 1,
    "second_meetings_held": 1,
    "outbound_activities": 4,
    "meetings_per_100_outbound": Decimal(50),  # 2 meetings * 100 / 4 outbound
    "deals_created": 4,  # d2, d3, d4, d6
    "pipeline_created": Decimal(1650),  # 500 + 200 + 700 + 250
    "deals_won": 3,  # d1, d2, d6
    "deals_lost": 1,  # d3
    "deals_closed": 4,
    "revenue_won": Decimal(1750),
    "win_rate": Decimal("0.75"),
    "avg_deal_size": Decimal(1750) / 3,
    "sales_cycle_days": Decimal(67),  # (101 + 60 + 40) / 3
    "new_logos": 1,  # account A's first win is d1
    "upsells_won": 1,
    "cross_sells_won": 1,
    "upsell_rate": Decimal(1) / 3,
    "cross_sell_rate": Decimal(1) / 3,
    "deals_due": 5,  # the four closed deals and d4, open past its close date
    "deals_stalled": 1,  # d4
    "deals_leaked": 2,  # d3 lost, d4 stalled
    "pipeline_leakage": Decimal("0.4"),
    "stage_moves": 2,
    "leads_created": 1,
    "leads_converted": 2,
    "cold_calls": 1,  # 1 Feb (the call of 31 Dec falls outside)
    "cold_emails": 1,  # 2 Feb
    "meetings_booked_calls": 1,  # the cold call of 1 Feb booked a meeting
    "meetings_booked_emails": 0,
    "meetings_per_100_cold_calls": Decimal(100),  # 1 * 100 / 1
    "meetings_per_100_cold_emails": Decimal(0),  # 0 * 100 / 1
    "new_business_created": 2,  # d3, d4 (d2 is an upsell, d6 a cross-sell)
    "new_business_won": 1,  # d1
    "new_business_closed": 2,  # d1 won, d3 lost
}


class BuiltinMetricTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        org, rita = cls.org, cls.rep
        for day, type_, extra in [
            (D(2023, 12, 31), "call", {"direction": "outbound"}),
            (D(2024, 1, 10), "call", {"direction": "outbound", "outcome": "connected"}),
            (
                D(2024, 2, 1),
                "call",
                {"direction": "outbound", "is_cold": True, "outcome": "meeting_booked"},
            ),
            (D(2024, 2, 2), "email", {"direction": "outbound", "is_cold": True}),
            (D(2024, 2, 5), "meeting", {"direction": "outbound", "outcome": "first_meeting_held"}),
            (D(2024, 3, 1), "meeting", {"direction": "inbound", "outcome": "second_meeting_held"}),
            (D(2024, 3, 31), "demo", {}),
            (D(2024, 4, 1), "task", {}),
        ]:
            activity(org, rita, day, type_, **extra)
        new, old = account(org, "A", D(2024, 2, 10)), account(org, "B", D(2023, 6, 1))
        cls.d1 = deal(
            org,
            rita,
            created=D(2023, 11, 1),
            closed=D(2024, 2, 10),
            outcome="won",
            amount=1000,
            account=new,
        )
        cls.d2 = deal(
            org,
            rita,
            created=D(2024, 1, 15),
            closed=D(2024, 3, 15),
            outcome="won",
            amount=500,
            account=old,
            deal_type="upsell",
        )
        cls.d3 = deal(
            org, rita, created=D(2024, 2, 1), closed=D(2024, 3, 20), outcome="lost", amount=200
        )
        cls.d4 = deal(org, rita, created=D(2024, 3, 1), closed=D(2024, 3, 10), amount=700)
        deal(
            org,
            rita,
            created=D(2024, 4, 5),
            closed=D(2024, 5, 1),
            outcome="won",
            amount=300,
            deal_type="cross_sell",
        )
        cls.d6 = deal(
            org,
            rita,
            created=D(2024, 2, 20),
            closed=D(2024, 3, 31),
            outcome="won",
            amount=250,
            account=new,
            deal_type="cross_sell",
        )
        stage_change(org, cls.d1, "Engaging", D(2024, 1, 5), "Prospecting")
        stage_change(org, cls.d1, "Won", D(2024, 2, 10), "Engaging")
        stage_change(org, cls.d3, "Engaging", D(2023, 12, 20), "Prospecting")
        lead(org, rita, created=D(2024, 1, 2), converted=D(2024, 2, 2))
        lead(org, rita, created=D(2023, 12, 1), converted=D(2024, 3, 3))
        deal(
            org, cls.rep2, created=D(2024, 1, 10), closed=D(2024, 1, 20), outcome="won", amount=100
        )
        deal(org, cls.other_rep, created=D(2024, 1, 5), closed=D(2024, 2, 1), outcome="lost")

    def test_every_built_in_metric_gives_the_hand_computed_figure(self):
        self.assertEqual(set(RITA_Q1), set(BUILTIN_KEYS))
        for use_rollups in (True, False):
            results = engine.compute(
                self.org, list(RITA_Q1), [Q1], [self.rep.pk], use_rollups=use_rollups
            )
            for key, want in RITA_Q1.items():
                with self.subTest(key=key, use_rollups=use_rollups):
                    self.assertEqual(results.get(self.rep.pk, key, Q1).value, Decimal(want))

    def test_a_ratio_keeps_its_numerator_and_denominator(self):
        value = engine.compute(self.org, ["win_rate"], [Q1], [self.rep.pk]).get(
            self.rep.pk, "win_rate", Q1
        )
        self.assertEqual((value.numerator, value.denominator), (3, 4))

    def test_ratios_are_empty_when_nothing_was_closed(self):
        results = engine.compute(
            self.org,
            ["win_rate", "avg_deal_size", "sales_cycle_days", "deals_won"],
            [JANUARY],
            [self.rep.pk],
        )
        self.assertIsNone(results.get(self.rep.pk, "win_rate", JANUARY).value)
        self.assertIsNone(results.get(self.rep.pk, "avg_deal_size", JANUARY).value)
        self.assertIsNone(results.get(self.rep.pk, "sales_cycle_days", JANUARY).value)
        self.assertEqual(results.get(self.rep.pk, "deals_won", JANUARY).value, 0)

    def test_both_ends_of_a_period_count(self):
        first_day = Period(D(2024, 3, 31), D(2024, 3, 31))
        results = engine.compute(self.org, ["demos", "deals_won"], [first_day], [self.rep.pk])
        self.assertEqual(results.get(self.rep.pk, "demos", first_day).value, 1)
        self.assertEqual(results.get(self.rep.pk, "deals_won", first_day).value, 1)

    def test_a_period_cut_across_months_adds_whole_months_and_days(self):
        cross = Period(D(2024, 1, 20), D(2024, 3, 15))
        results = engine.compute(self.org, ["deals_won", "calls"], [cross], [self.rep.pk])
        self.assertEqual(results.get(self.rep.pk, "deals_won", cross).value, 2)  # d1, d2
        self.assertEqual(results.get(self.rep.pk, "calls", cross).value, 1)  # 1 Feb

    def test_a_team_sums_the_parts_of_its_members_and_sub_teams(self):
        results = engine.compute_teams(
            self.org,
            ["deals_won", "win_rate", "avg_deal_size", "sales_cycle_days"],
            [Q1],
        )
        alpha = {
            k: results.get(self.team.pk, k, Q1).value
            for k in ("deals_won", "win_rate", "avg_deal_size", "sales_cycle_days")
        }
        self.assertEqual(
            alpha,
            {
                "deals_won": 4,
                "win_rate": Decimal("0.8"),
                "avg_deal_size": Decimal("462.5"),
                "sales_cycle_days": Decimal("52.75"),
            },
        )  # (201 + 10) / 4
        self.assertEqual(results.get(self.region.pk, "win_rate", Q1).value, Decimal(4) / 6)
        self.assertIsNone(results.get(self.outsider_team.pk, "win_rate", Q1).value)

    def test_drill_down_lists_the_records_behind_a_figure(self):
        won = engine.facts(self.org, "deals_won", Q1, [self.rep.pk])
        self.assertEqual(list(won), [self.d1, self.d2, self.d6])
        closed = engine.facts(self.org, "win_rate", Q1, [self.rep.pk])
        self.assertEqual(set(closed), {self.d1, self.d2, self.d3, self.d6})
        self.assertEqual(engine.facts(self.org, "deals_won", Q1, [self.rep2.pk]).count(), 1)

    def test_the_definition_is_described_in_words(self):
        metrics = engine.get_metrics(self.org)
        self.assertEqual(
            engine.describe(metrics["deals_won"]),
            "Number of deals whose close date is in the period. Only where: outcome is won.",
        )
        self.assertEqual(
            engine.describe(metrics["win_rate"]),
            "Deals won divided by Deals closed; empty when the latter is 0.",
        )

    def test_rollups_follow_edits_and_deletes_of_deals(self):
        self.d2.close_on = D(2024, 4, 2)
        self.d2.save()
        self.d6.delete()
        results = engine.compute(self.org, ["deals_won", "revenue_won"], [Q1], [self.rep.pk])
        self.assertEqual(results.get(self.rep.pk, "deals_won", Q1).value, 1)
        self.assertEqual(results.get(self.rep.pk, "revenue_won", Q1).value, 1000)

    def test_an_unknown_metric_is_refused_by_name(self):
        with self.assertRaisesMessage(engine.UnknownMetric, "no_such_metric"):
            engine.compute(self.org, ["no_such_metric"], [Q1])

    def test_another_organisations_facts_never_count(self):
        results = engine.compute(self.other_org, ["deals_won"], [Q1])
        self.assertEqual({v.value for v in results.values()}, {0})
