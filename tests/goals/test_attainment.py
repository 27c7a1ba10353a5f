"""Attainment, pace, ramps and which target applies: pure arithmetic, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from followthrough.goals.attainment import (
    PaceStatus,
    attainment,
    elapsed,
    expected_by_now,
    pace,
)
from followthrough.goals.ramp import parse_shares, ramp_factor, share_on, tenure_month
from followthrough.goals.spans import Span, target_for
from followthrough.lib.periods import Period, PeriodKind, period_of

D = Decimal
JAN = period_of(PeriodKind.MONTH, dt.date(2026, 1, 1))
Q1 = period_of(PeriodKind.QUARTER, dt.date(2026, 1, 1))


def test_attainment_is_actual_over_target():
    assert attainment(D(30), D(40)) == D("0.75")
    assert attainment(D(50), D(40)) == D("1.25")


def test_attainment_is_target_over_actual_when_lower_is_better():
    # 45 days against a 30-day sales-cycle target: 30/45 = 2/3.
    assert attainment(D(45), D(30), higher_is_better=False) == D(30) / D(45)


def test_attainment_is_empty_without_a_target_or_with_a_zero_target():
    assert attainment(D(3), None) is None
    assert attainment(None, D(3)) is None
    assert attainment(D(3), D(0)) is None


def test_expected_by_today_is_target_times_elapsed_share():
    # 10 January of a 31-day month: 10/31 of a target of 31 is 10.
    share = elapsed(JAN, dt.date(2026, 1, 10))
    assert share == Fraction(10, 31)
    assert expected_by_now(D(31), share) == D(10)


def test_rates_are_expected_at_their_target_whatever_the_day():
    assert expected_by_now(D("0.3"), 0.1, accumulates=False) == D("0.3")


def test_someone_below_the_expected_figure_is_behind_pace():
    # Day 16 of 31 with a target of 62: expected 32; 20 is behind, 15 is far behind (< 16).
    share = elapsed(JAN, dt.date(2026, 1, 16))
    assert pace(D(20), D(62), share).expected == D(32)
    assert pace(D(20), D(62), share).status == PaceStatus.BEHIND
    assert pace(D(20), D(62), share).behind
    assert pace(D(15), D(62), share).status == PaceStatus.FAR_BEHIND


def test_someone_at_or_above_the_expected_figure_is_on_pace_and_met_at_the_target():
    share = elapsed(JAN, dt.date(2026, 1, 16))
    assert pace(D(32), D(62), share).status == PaceStatus.ON_PACE
    assert pace(D(62), D(62), share).status == PaceStatus.MET
    assert not pace(D(32), D(62), share).behind


def test_nothing_counted_yet_is_behind_once_something_is_expected():
    assert pace(None, D(10), 0.5).status == PaceStatus.FAR_BEHIND
    assert pace(None, D(10), 0.0).status == PaceStatus.ON_PACE


def test_pace_without_a_target_says_so():
    assert pace(D(5), None, 0.5).status == PaceStatus.NO_TARGET


def test_lower_is_better_is_behind_above_the_target():
    assert pace(D(40), D(30), 0.5, accumulates=False, higher_is_better=False).behind
    status = pace(D(25), D(30), 0.5, accumulates=False, higher_is_better=False).status
    assert status == PaceStatus.ON_PACE


def test_tenure_months_count_calendar_months_from_the_start_in_role():
    start = dt.date(2026, 1, 15)
    assert tenure_month(start, dt.date(2026, 1, 14)) == 0
    assert tenure_month(start, dt.date(2026, 1, 31)) == 1
    assert tenure_month(start, dt.date(2026, 2, 1)) == 2
    assert tenure_month(start, dt.date(2027, 1, 1)) == 13


def test_the_ramp_gives_a_quarter_a_half_three_quarters_then_the_full_target():
    start = dt.date(2026, 1, 1)
    shares = [25, 50, 75]
    months = [period_of(PeriodKind.MONTH, dt.date(2026, m, 1)) for m in (1, 2, 3, 4)]
    assert [ramp_factor(shares, start, m) for m in months] == [D("0.25"), D("0.5"), D("0.75"), 1]
    assert share_on(shares, start, dt.date(2025, 12, 31)) == 0


def test_a_quarter_ramps_by_the_day_weighted_mean_of_its_months():
    # Q1 2026 has 31 + 28 + 31 = 90 days: (31×25 + 28×50 + 31×75) / 90 % = 4500/9000.
    factor = ramp_factor([25, 50, 75], dt.date(2026, 1, 1), Q1)
    assert factor == D(31 * 25 + 28 * 50 + 31 * 75) / 100 / 90


def test_no_start_date_or_an_empty_ramp_means_the_full_target():
    assert ramp_factor([25, 50], None, JAN) == 1
    assert ramp_factor([], dt.date(2026, 1, 1), JAN) == 1


def test_ramp_shares_are_read_from_text_and_bad_ones_are_refused():
    assert parse_shares("25, 50%, 75") == [25, 50, 75]
    for bad in ("25, lots", "150", "-5"):
        try:
            parse_shares(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")


def _month_span(month: int, target: int, shares=()) -> Span:
    period = period_of(PeriodKind.MONTH, dt.date(2026, month, 1))
    return Span(period.start, period.end, PeriodKind.MONTH, D(target), tuple(shares))


def test_a_goal_for_exactly_the_period_applies():
    assert target_for([_month_span(1, 12)], JAN) == D(12)


def test_three_monthly_goals_make_the_quarters_target():
    spans = [_month_span(1, 10), _month_span(2, 20), _month_span(3, 30)]
    assert target_for(spans, Q1) == D(60)


def test_a_gap_in_the_monthly_goals_leaves_the_quarter_without_a_target():
    assert target_for([_month_span(1, 10), _month_span(3, 30)], Q1) is None


def test_a_week_gets_its_days_share_of_a_monthly_goal():
    # ISO week 2026-W03 is 12-18 January, inside January: 7/31 of 62 = 14.
    week = period_of(PeriodKind.WEEK, dt.date(2026, 1, 14))
    assert target_for([_month_span(1, 62)], week) == D(14)


def test_a_rate_goal_for_the_quarter_applies_to_each_of_its_months():
    spans = [Span(Q1.start, Q1.end, PeriodKind.QUARTER, D("0.3"))]
    assert target_for(spans, JAN, additive=False) == D("0.3")
    assert target_for(spans, JAN) == D("0.3") * 31 / 90


def test_ramps_scale_each_months_goal_by_the_tenure_share():
    # Started 1 February: January counts nothing, February 25 % of 20, March 50 % of 40.
    spans = [_month_span(m, t, (25, 50, 75)) for m, t in ((1, 10), (2, 20), (3, 40))]
    assert target_for(spans, Q1, role_since=dt.date(2026, 2, 1)) == D(0 + 5 + 20)


def test_ramps_do_not_apply_to_rates():
    spans = [Span(JAN.start, JAN.end, PeriodKind.MONTH, D("0.3"), (25,))]
    assert target_for(spans, JAN, additive=False, role_since=dt.date(2026, 1, 1)) == D("0.3")


def test_custom_ranges_are_periods_too():
    span = Span(dt.date(2026, 1, 1), dt.date(2026, 1, 10), PeriodKind.CUSTOM, D(100))
    assert target_for([span], Period(dt.date(2026, 1, 1), dt.date(2026, 1, 10))) == D(100)
    assert target_for([span], Period(dt.date(2026, 1, 1), dt.date(2026, 1, 5))) == D(50)
