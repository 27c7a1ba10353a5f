"""Pure arithmetic of standings: ties share a place, parts add up (no database)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from followthrough.metrics.engine import Value
from followthrough.motivation.figures import combine, competition_ranks, reached

D = Decimal


def test_equal_figures_share_a_place_and_the_next_place_is_skipped():
    assert competition_ranks([5, 3, 3, 1], lambda x: x) == [1, 2, 2, 4]
    assert competition_ranks([2, 2, 2], lambda x: x) == [1, 1, 1]


def test_people_without_a_figure_get_no_place():
    assert competition_ranks([4, None, None], lambda x: x) == [1, None, None]


def test_counts_add_and_ratios_divide_their_summed_parts():
    count = SimpleNamespace(is_divided=False, kind="count", scale=1)
    assert combine(count, [Value(D(2), D(2)), Value(D(3), D(3))]).value == D(5)
    rate = SimpleNamespace(is_divided=True, kind="ratio", scale=D(1))
    # 1 of 2 and 3 of 4: 4 of 6, not the mean of 50 % and 75 %.
    halves = [Value(D("0.5"), D(1), D(2)), Value(D("0.75"), D(3), D(4))]
    assert combine(rate, halves).value == D(4) / D(6)
    assert combine(rate, []).value is None


def test_reaching_a_target_goes_the_metrics_way():
    assert reached(D(3), D(3))
    assert not reached(None, D(3))
    assert reached(D(20), D(30), higher_is_better=False)
