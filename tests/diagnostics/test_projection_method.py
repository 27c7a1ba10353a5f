"""Right time by hand: lag kernels, the convolution, a rep's projection and gap, the backtest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.test import SimpleTestCase
from django.utils import translation

from followthrough.diagnostics import projection as pj
from followthrough.diagnostics.findings import Status
from followthrough.diagnostics.lags import Kernel, combine, convolve, fit_kernel
from followthrough.diagnostics.models import DiagnosticSettings

M = pj.month_index
DEC, JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG = (
    M(dt.date(2024, 12, 1)),
    *(M(dt.date(2025, month, 1)) for month in range(1, 9)),
)
SEP, OCT, NOV, DEC25 = AUG + 1, AUG + 2, AUG + 3, AUG + 4
RITA, ROB = 1, 2


def steady_facts(rita_august: float = 100) -> pj.Facts:
    """Dec 2024 - Aug 2025. Each month each rep makes 100 cold calls and creates two
    new-business deals opened by a cold touch that month; one of each month's two is won
    two months later. Rob also wins 2 other deals in March and 1 in August."""
    months = range(DEC, AUG + 1)
    prospecting = {p: {m: 100.0 for m in months} for p in (RITA, ROB)}
    prospecting[RITA][AUG] = rita_august
    deals, won = [], {p: {m: 0.0 for m in months} for p in (RITA, ROB)}
    for p in (RITA, ROB):
        for m in months:
            win = m + 2 if m + 2 <= AUG else None
            deals += [(p, m, win, m), (p, m, None, m)]
            if win:
                won[p][win] += 1
    nb_won = {p: dict(s) for p, s in won.items()}
    won[ROB][MAR] += 2
    won[ROB][AUG] += 1
    return pj.Facts(dt.date(2025, 8, 31), DEC, AUG, True, 1.0, 0, prospecting, won, nb_won, deals)


class Book:
    """A stand-in for goals.targets.TargetBook: one won deal a month for everyone."""

    def person_target(self, person, key, period):
        return Decimal(1)


class KernelTests(SimpleTestCase):
    def test_a_kernel_is_measured_over_the_cohorts_fully_observed_at_each_lag(self):
        # Cohorts (month: size) 0: 10, 1: 10, 2: 20. Events (cohort, month): from 0: one
        # at lag 0, two at lag 1; from 1: one at lag 1, one at lag 2 (month 3, not yet
        # seen at last=2: ignored); from 2: two at lag 0.
        events = [(0, 0), (0, 1), (0, 1), (1, 2), (1, 3), (2, 2), (2, 2)]
        kernel = fit_kernel({0: 10, 1: 10, 2: 20}, events, last=2, lags=3, cohorts=6)
        # lag 0: cohorts 0, 1, 2 -> (1 + 0 + 2) / 40 = 0.075
        # lag 1: cohorts 0, 1 (1 + 1 <= 2) -> (2 + 1) / 20 = 0.15
        # lag 2: cohort 0 only -> 0 / 10 = 0
        self.assertEqual(kernel.weights, (0.075, 0.15, 0.0))
        self.assertAlmostEqual(kernel.rate, 0.225)
        self.assertEqual(kernel.peak, 1)
        self.assertAlmostEqual(kernel.distribution[0], 1 / 3)

    def test_only_the_latest_cohorts_count(self):
        # Two cohorts kept: months 1 and 2 at lag 0 -> (0 + 2) / 30.
        events = [(0, 0), (2, 2), (2, 2)]
        kernel = fit_kernel({0: 10, 1: 10, 2: 20}, events, last=2, lags=1, cohorts=2)
        self.assertAlmostEqual(kernel.weights[0], 2 / 30)

    def test_convolution_and_combination(self):
        kernel = Kernel((0.5, 0.25))
        # Month 5 from inputs {4: 8, 5: 4}: 0.5 × 4 + 0.25 × 8 = 4
        self.assertEqual(convolve({4: 8, 5: 4}, kernel, 5), 4.0)
        # (0.5, 0.25) then (0, 1): (0, 0.5, 0.25)
        self.assertEqual(combine(kernel, Kernel((0.0, 1.0))).weights, (0.0, 0.5, 0.25))


class ProjectionTests(SimpleTestCase):
    def test_the_fit_measures_the_team_lags_and_rates(self):
        model = pj.fit(steady_facts(), [RITA, ROB], AUG)
        # Touch -> deal: 4 deals from 200 cold calls a month, all the same month: 0.02.
        self.assertAlmostEqual(model.to_deal.weights[0], 0.02)
        self.assertEqual(model.to_deal.weights[1:], (0.0, 0.0))
        # Deal -> win: one of two, two months later (cohorts Jan-Jun): 0.5 at lag 2.
        self.assertAlmostEqual(model.to_win.weights[2], 0.5)
        self.assertAlmostEqual(model.to_win.rate, 0.5)
        self.assertEqual(model.inbound, {RITA: 0.0, ROB: 0.0})
        # Other wins: Rob's 2 in March and 1 in August over Mar-Aug = 3 / 6.
        self.assertAlmostEqual(model.other[ROB], 0.5)
        self.assertTrue(model.ready)

    def hand_model(self) -> pj.Model:
        return pj.Model(
            AUG,
            Kernel((0.02, 0.0, 0.0)),
            Kernel((0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0)),
            {RITA: 0.0, ROB: 0.0},
            {RITA: 0.0, ROB: 0.0},
            DEC,
        )

    def test_a_prospecting_slip_projects_fewer_wins_later(self):
        facts = steady_facts(rita_august=40)
        path = pj.project_person(facts, self.hand_model(), RITA, AUG, True)
        # Deals from Sep on: pace 40 × 0.02 = 0.8 a month. Wins: Sep = 0.5 × C(Jul) = 1,
        # Oct = 0.5 × C(Aug) = 1 (August's deals were made already), Nov = Dec = 0.5 × 0.8.
        self.assertAlmostEqual(path.created[SEP], 0.8)
        self.assertEqual([round(path.won[m], 6) for m in (SEP, OCT, NOV, DEC25)], [1, 1, 0.4, 0.4])

    def test_the_gap_and_its_reason_in_words(self):
        facts = steady_facts(rita_august=40)
        rita = SimpleNamespace(pk=RITA, name="Rita")
        settings = DiagnosticSettings()  # gap watched from 15 %, needs help from 30 %
        with self.settings(ROOT_URLCONF="followthrough.urls"):
            rep = pj.assess_rep(facts, self.hand_model(), rita, 7, Book(), settings, AUG, True)
        # Target 1 a month: 4; projected 1 + 1 + 0.4 + 0.4 = 2.8; gap 1.2 = 30 % -> help.
        self.assertAlmostEqual(rep.projected_total, 2.8)
        self.assertAlmostEqual(rep.gap, 1.2)
        self.assertEqual(rep.status, Status.HELP)
        # Need: 1 win a month / 0.5 = 2 deals / 0.02 = 100 cold activities a month.
        self.assertAlmostEqual(rep.need, 100)
        # August 60 % below need: 60 missing × 0.01 (0.02 × 0.5) = 0.6 fewer wins,
        # landing two months later (October).
        month, below, fewer, later = rep.shortfall
        self.assertEqual((month, later), (AUG, OCT))
        self.assertAlmostEqual(below, 60)
        self.assertAlmostEqual(fewer, 0.6)
        with translation.override("en-gb"):
            self.assertEqual(
                [said.text for said in rep.finding.reasons],
                [
                    "Prospecting in August 2025 was 60 % below need: expect about 0.6 fewer "
                    "won deals, from October 2025 on.",
                    "Projected 2.8 won deals in the next 4 months against a target of 4: "
                    "1.2 short.",
                ],
            )
        self.assertEqual(rep.finding.gap, Decimal("1.2"))

    def test_a_steady_rep_has_no_gap(self):
        facts = steady_facts()
        rob = SimpleNamespace(pk=ROB, name="Rob")
        with self.settings(ROOT_URLCONF="followthrough.urls"):
            rep = pj.assess_rep(
                facts, self.hand_model(), rob, 7, Book(), DiagnosticSettings(), AUG, True
            )
        # 0.5 × 2 deals = 1 win a month = the target.
        self.assertAlmostEqual(rep.projected_total, 4)
        self.assertEqual((rep.gap, rep.status, rep.shortfall), (0, Status.OK, None))


class BacktestTests(SimpleTestCase):
    def test_error_bias_and_the_naive_baseline_by_hand(self):
        result = pj.backtest(steady_facts(), [RITA, ROB], months=[MAY])
        # Fitted on Dec-May: 0.02 deals a cold call, 0.5 won two months later; Rob's other
        # wins 2 (March) / 6 months = 1/3 a month. Projected each month: 1 + 1 + 1/3.
        # Jun: actual 2, baseline (March) 4; Jul: 2, baseline (April) 2;
        # Aug: 3 (Rob's extra win), baseline (May) 2.
        self.assertEqual(
            [(r.ahead, round(r.projected, 4), r.actual, r.baseline) for r in result.rows],
            [(1, 2.3333, 2, 4), (2, 2.3333, 2, 2), (3, 2.3333, 3, 2)],
        )
        # Errors 1/3, 1/3, -2/3: MAE 4/9, bias 0; baseline errors 2, 0, 1: MAE 1.
        self.assertAlmostEqual(result.mae, 4 / 9)
        self.assertAlmostEqual(result.bias, 0)
        self.assertAlmostEqual(result.baseline_mae, 1)
        self.assertTrue(result.beats_baseline)

    def test_no_peeking_the_fit_at_may_sees_no_later_win(self):
        facts = pj._until(steady_facts(), MAY)
        self.assertTrue(all(w is None or w <= MAY for _o, _c, w, _t in facts.deals))
        self.assertTrue(all(c <= MAY for _o, c, _w, _t in facts.deals))
        self.assertEqual(max(facts.deals_won[ROB]), MAY)

    def test_a_fit_at_may_is_the_same_on_every_fact_and_on_those_known_in_may(self):
        facts = steady_facts(rita_august=40)
        everything = pj.fit(facts, [RITA, ROB], MAY)
        known = pj.fit(pj._until(facts, MAY), [RITA, ROB], MAY)
        self.assertEqual(everything, known)
        path = pj.project_person(facts, everything, RITA, MAY, True)
        self.assertEqual(path, pj.project_person(pj._until(facts, MAY), known, RITA, MAY, True))

    def test_too_little_history_is_not_backtested(self):
        result = pj.backtest(steady_facts(), [RITA, ROB], months=[MAR])
        self.assertEqual((result.rows, result.mae, result.beats_baseline), ([], None, None))


class TargetTests(SimpleTestCase):
    def test_a_goal_is_carried_forward_and_else_the_own_average_is_the_bar(self):
        class Until:
            """Goals of 2 won deals a month up to August 2025 only."""

            def person_target(self, person, key, period):
                return Decimal(2) if period.start <= dt.date(2025, 8, 1) else None

        coming = [SEP, OCT, NOV, DEC25]
        self.assertEqual(pj._targets(Until(), None, coming, 1.5), ([2.0] * 4, "carried"))
        self.assertEqual(pj._targets(Until(), None, [AUG, SEP], 1.5), ([2.0, 2.0], "carried"))

        class Nothing:
            def person_target(self, person, key, period):
                return None

        self.assertEqual(pj._targets(Nothing(), None, coming, 1.5), ([1.5] * 4, "own"))
        self.assertEqual(pj._targets(Nothing(), None, coming, 0), ([None] * 4, ""))
