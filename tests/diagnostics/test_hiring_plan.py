"""The hiring forecast's arithmetic on hand-computed plans (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.test import SimpleTestCase

from followthrough.diagnostics.hiring_plan import (
    Inputs,
    earliest_start,
    plan,
    ramp_share,
    retention,
    year_months,
)

TODAY = dt.date(2026, 12, 7)
Q = D(1) - D("0.10") / 12  # 10 % a year: each month 0.991666... stay


def inputs(**changes) -> Inputs:
    values = {
        "months": year_months(2027),
        "targets": [D(25000)] * 12,  # 300k a year
        "productivity": D(10000),
        "ramp_months": 3,
        "attrition": D(10),
        "lead_months": 2,
        "today": TODAY,
        "starts": [None, None],  # two reps, ramped long ago
    }
    values.update(changes)
    return Inputs(**values)


class RampAndAttritionTests(SimpleTestCase):
    def test_a_three_month_ramp_is_25_50_75_then_full(self):
        shares = [ramp_share(k, 3) for k in range(0, 6)]
        self.assertEqual(shares, [D(0), D("0.25"), D("0.5"), D("0.75"), D(1), D(1)])

    def test_no_ramp_is_full_from_the_first_month(self):
        self.assertEqual(ramp_share(1, 0), D(1))

    def test_yearly_attrition_is_spread_over_the_months(self):
        self.assertEqual(retention(D(12)), D("0.99"))

    def test_a_role_opened_this_month_starts_lead_months_later(self):
        self.assertEqual(earliest_start(TODAY, 2), dt.date(2027, 2, 1))


class PlanTests(SimpleTestCase):
    def test_two_reps_short_of_300k_hire_one_as_soon_as_possible(self):
        # 2 reps × 10k = 20k a month against 25k. January, once ramped: 20,000 × Q = 19,833.33,
        # 5,166.67 short: ceil(5,166.67 / 10,000) = 1 hire. Ramped in time it would start in
        # October 2026 (January - 3), but a role opened now (December) starts in February.
        # February on: 20,000 × Q² + 10,000 = 29,668 >= 25,000; December: 20,000 × Q¹² +
        # 10,000 × Q¹⁰ = 18,174 + 9,197 = 27,371 >= 25,000: no second hire.
        result = plan(inputs())
        self.assertEqual(len(result.hires), 1)
        hire = result.hires[0]
        self.assertEqual(
            (hire.count, hire.opens, hire.start, hire.needed_for),
            (1, dt.date(2026, 12, 1), dt.date(2027, 2, 1), dt.date(2027, 1, 1)),
        )
        self.assertEqual(result.total_hires, 1)
        self.assertEqual([m.starting for m in result.months], [0, 1] + [0] * 10)
        self.assertEqual(result.opened_before(dt.date(2027, 1, 1)), [hire])

    def test_capacity_counts_the_hire_as_they_ramp(self):
        months = plan(inputs()).months
        # January: 20,000 × Q = 19,833.33, 5,166.67 short.
        self.assertAlmostEqual(float(months[0].capacity), 19833.33, places=2)
        self.assertAlmostEqual(float(months[0].gap), 5166.67, places=2)
        # February: 20,000 × Q² + 25 % of 10,000 (the hire's first month) = 19,668.06 + 2,500.
        self.assertAlmostEqual(float(months[1].capacity), 22168.06, places=2)
        # March: 20,000 × Q³ + 50 % × 10,000 × Q = 19,504.17 + 4,958.33 = 24,462.50, still short.
        self.assertAlmostEqual(float(months[2].capacity), 24462.50, places=1)
        # April: 20,000 × Q⁴ + 75 % × 10,000 × Q² = 19,341.64 + 7,375.52 = 26,717.15, ahead.
        self.assertAlmostEqual(float(months[3].capacity), 26717.15, places=1)
        self.assertLess(months[3].gap, 0)
        self.assertEqual(len(plan(inputs()).short_months), 3)
        # Headcount in February: 2 × Q² + 1 = 2.967.
        self.assertAlmostEqual(float(months[1].headcount), 2.967, places=3)

    def test_a_gap_that_attrition_opens_later_is_hired_for_ramp_months_before(self):
        # 3 reps × 10k = 30k against 28k a month: ramped capacity 30,000 × Qⁿ (n months from
        # December) falls below 28,000 once Qⁿ < 0.9333: n > ln(0.9333) / ln(Q) = 8.24, so in
        # September (n = 9: 30,000 × Q⁹ = 27,857, 143 short): one hire, starting in June (ramped
        # by September), the role opened in April.
        result = plan(inputs(targets=[D(28000)] * 12, starts=[None] * 3))
        self.assertEqual(len(result.hires), 1)
        hire = result.hires[0]
        self.assertEqual(
            (hire.count, hire.opens, hire.start, hire.needed_for),
            (1, dt.date(2027, 4, 1), dt.date(2027, 6, 1), dt.date(2027, 9, 1)),
        )
        months = result.months
        self.assertEqual(months[3].opening, 1)  # April
        self.assertEqual(months[5].starting, 1)  # June
        self.assertEqual(result.short_months, [])

    def test_a_team_that_meets_its_target_hires_nobody(self):
        result = plan(inputs(targets=[D(15000)] * 12, attrition=D(0)))
        self.assertEqual(result.hires, [])
        self.assertEqual(result.capacity, D(240000))  # 2 × 10k × 12

    def test_a_large_gap_is_covered_by_several_hires_at_once(self):
        # No attrition: 20k against 55k a month: 35k short, 4 hires (ceil 3.5) start in February.
        result = plan(inputs(targets=[D(55000)] * 12, attrition=D(0)))
        self.assertEqual([(h.start, h.count) for h in result.hires], [(dt.date(2027, 2, 1), 4)])
        # Once ramped (from June, their fifth month): 6 × 10k = 60k.
        self.assertEqual(result.months[5].capacity, D(60000))

    def test_a_new_hire_on_board_counts_as_ramping(self):
        # Started in November 2026 with a 3-month ramp: January is their third month (75 %).
        result = plan(inputs(starts=[dt.date(2026, 11, 15)], attrition=D(0), targets=[D(0)] * 12))
        self.assertEqual(result.months[0].capacity, D(7500))
        self.assertEqual(result.months[1].capacity, D(10000))
