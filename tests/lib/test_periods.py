"""Period boundaries, computed by hand from a calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followthrough.lib.periods import (
    FIRST_DAY,
    LAST_DAY,
    OutOfRange,
    Period,
    PeriodKind,
    check_supported,
    last_periods,
    months_in,
    period_of,
    shift,
    supported,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "key"),
    [
        # 2026-01-01 is a Thursday: its ISO week starts on Monday 2025-12-29.
        ("week", D(2026, 1, 1), D(2025, 12, 29), D(2026, 1, 4), "2026-W01"),
        ("week", D(2026, 11, 24), D(2026, 11, 23), D(2026, 11, 29), "2026-W48"),
        ("month", D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29), "2024-02"),
        ("month", D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31), "2026-12"),
        ("quarter", D(2026, 5, 15), D(2026, 4, 1), D(2026, 6, 30), "2026-Q2"),
        ("quarter", D(2026, 12, 1), D(2026, 10, 1), D(2026, 12, 31), "2026-Q4"),
        ("year", D(2026, 7, 4), D(2026, 1, 1), D(2026, 12, 31), "2026"),
    ],
)
def test_calendar_periods(kind, day, start, end, key):
    period = period_of(kind, day)
    assert (period.start, period.end, period.key) == (start, end, key)


def test_a_fiscal_year_starting_in_april_runs_to_the_next_march():
    before = period_of(PeriodKind.FISCAL_YEAR, D(2026, 3, 31), fiscal_start_month=4)
    after = period_of(PeriodKind.FISCAL_YEAR, D(2026, 4, 1), fiscal_start_month=4)
    assert (before.start, before.end, before.key) == (D(2025, 4, 1), D(2026, 3, 31), "FY2026")
    assert (after.start, after.end, after.key) == (D(2026, 4, 1), D(2027, 3, 31), "FY2027")


def test_a_fiscal_year_starting_in_january_is_the_calendar_year():
    fy = period_of(PeriodKind.FISCAL_YEAR, D(2026, 6, 1))
    assert (fy.start, fy.end) == (D(2026, 1, 1), D(2026, 12, 31))


def test_shift_moves_by_whole_periods():
    march = period_of("month", D(2026, 3, 15))
    assert shift(march, -3) == period_of("month", D(2025, 12, 1))
    assert shift(period_of("quarter", D(2026, 1, 1)), 1).start == D(2026, 4, 1)
    fy = period_of("fiscal_year", D(2026, 7, 1), fiscal_start_month=7)
    assert shift(fy, -1).start == D(2025, 7, 1)
    assert shift(period_of("week", D(2026, 1, 1)), 1).start == D(2026, 1, 5)
    assert shift(Period(D(2026, 1, 1), D(2026, 1, 10)), 1) == Period(D(2026, 1, 11), D(2026, 1, 20))


def test_last_periods_ends_with_the_given_one_oldest_first():
    months = last_periods(period_of("month", D(2026, 2, 1)), 3)
    assert [m.key for m in months] == ["2025-12", "2026-01", "2026-02"]


def test_elapsed_share_counts_today():
    april = period_of("month", D(2026, 4, 1))  # 30 days
    assert april.elapsed_share(D(2026, 3, 31)) == 0.0
    assert april.elapsed_share(D(2026, 4, 1)) == 1 / 30
    assert april.elapsed_share(D(2026, 4, 15)) == 0.5
    assert april.elapsed_share(D(2026, 5, 2)) == 1.0


def test_months_in_clips_to_the_period():
    months = months_in(Period(D(2026, 1, 20), D(2026, 3, 5)))
    assert [(m.start, m.end) for m in months] == [
        (D(2026, 1, 20), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 5)),
    ]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        Period(D(2026, 2, 1), D(2026, 1, 1))
    with pytest.raises(ValueError):
        period_of("fiscal_year", D(2026, 1, 1), fiscal_start_month=13)
    with pytest.raises(ValueError):
        period_of("fortnight", D(2026, 1, 1))


@given(
    st.sampled_from(["week", "month", "quarter", "year", "fiscal_year"]),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(1, 12),
)
def test_periods_tile_the_calendar(kind, day, fiscal_start_month):
    period = period_of(kind, day, fiscal_start_month)
    assert day in period
    following = shift(period, 1)
    assert following.start == period.end + dt.timedelta(days=1)
    assert shift(following, -1) == period
    assert sum(m.days for m in months_in(period)) == period.days


@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(0, 400),
)
def test_a_period_contains_exactly_its_days_ends_included(start, length):
    # Counted day by day over a window reaching 3 days either side, not by comparison.
    period = Period(start, start + dt.timedelta(days=length))
    window = [start + dt.timedelta(days=offset) for offset in range(-3, length + 4)]
    inside = [day for day in window if day in period]
    assert len(inside) == period.days == length + 1
    assert inside[0] == period.start and inside[-1] == period.end
    assert period.start - dt.timedelta(days=1) not in period
    assert period.end + dt.timedelta(days=1) not in period


def test_a_one_day_period_contains_that_day_only():
    day = Period(D(2026, 2, 28), D(2026, 2, 28))
    assert D(2026, 2, 28) in day
    assert D(2026, 2, 27) not in day
    assert D(2026, 3, 1) not in day


def test_periods_that_would_leave_the_calendar_are_refused_as_out_of_range():
    # Python's calendar runs from Monday 0001-01-01 to 9999-12-31: the week of
    # 9999-12-31 (a Friday) would end in year 10000; December 9999 has no next month.
    cases = [
        lambda: period_of("week", D(9999, 12, 31)),
        lambda: shift(period_of("week", D(1, 1, 3)), -1),
        lambda: period_of("month", D(9999, 12, 31)),
        lambda: period_of("year", D(9999, 6, 1)),
        lambda: period_of("fiscal_year", D(1, 1, 1), fiscal_start_month=4),
        lambda: shift(period_of("month", D(9999, 11, 1)), 1),
        lambda: shift(period_of("week", D(2026, 1, 1)), 10**6),
        lambda: shift(Period(D(9999, 12, 1), D(9999, 12, 31)), 1),
    ]
    for case in cases:
        with pytest.raises(OutOfRange):
            case()


def test_the_supported_range_leaves_room_for_a_dozen_periods_either_way():
    assert not supported(D(1899, 12, 31)) and supported(FIRST_DAY)
    assert supported(LAST_DAY) and not supported(D(2200, 1, 1))
    for kind in ("week", "month", "quarter", "year", "fiscal_year"):
        last_periods(shift(period_of(kind, LAST_DAY), 12), 25)
        last_periods(period_of(kind, FIRST_DAY), 13)
    assert check_supported(D(2026, 1, 1)) == D(2026, 1, 1)
    with pytest.raises(OutOfRange):
        check_supported(D(9999, 12, 31))
