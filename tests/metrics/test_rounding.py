"""One rounding rule (half to even) for pages, exports, charts: the same value, every surface."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

from django.utils import translation
from openpyxl import load_workbook

from followthrough.goals.attainment import Pace, PaceStatus
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import export as metrics_export
from followthrough.metrics.labels import format_number, format_share, format_value
from followthrough.metrics.numbers import round_figure, shown
from followthrough.scorecards import exports as dashboard_exports
from followthrough.scorecards.charts import dashboard_chart, scorecard_charts
from followthrough.scorecards.dashboard import Cell, Dashboard, Row
from followthrough.scorecards.scorecard import Kpi, Scorecard, TrendPoint

D = Decimal
MARCH = period_of(PeriodKind.MONTH, dt.date(2026, 3, 1))
# The figures: a sales cycle of 20.9697 days, an average deal of 6666.6667.
CYCLE, DEAL = D("20.9697"), D("6666.6667")


def metric(key, unit, kind="ratio"):
    return SimpleNamespace(key=key, name=key, unit=unit, kind=kind, higher_is_better=True)


def test_figures_are_rounded_half_to_even_never_truncated():
    assert round_figure(CYCLE, 1) == D("21.0")
    assert round_figure(DEAL, 0) == D(6667)
    assert round_figure(D("0.125"), 2) == D("0.12")
    assert round_figure(D("0.135"), 2) == D("0.14")
    assert round_figure(D("-0.001"), 2) == D("0.00")
    assert str(round_figure(D("-0.001"), 2)) == "0.00"
    assert round_figure(None, 2) is None


def test_pages_show_the_rounded_figure():
    with translation.override("en"):
        assert format_value(CYCLE, "days") == "21.0 d"
        assert format_value(DEAL, "currency", "EUR") == "EUR 6,667"
        assert format_value(D("0.125"), "ratio") == "0.12"
        assert format_value(D("0.12345"), "percent") == "12.3 %"
        assert format_value(D("2.25"), "days") == "2.2 d"
        assert format_share(D("0.125")) == "12 %"
        assert format_share(D("0.135")) == "14 %"
        assert format_number(D("1234.565")) == "1,234.56"
        assert format_number(D("1000.00")) == "1,000"


def test_the_metrics_export_keeps_four_decimals_rounded_the_same_way():
    rows = [
        metrics_export.Row("rita", "sales_cycle_days", CYCLE),
        metrics_export.Row("rita", "avg_deal_size", DEAL),
        metrics_export.Row("rita", "tie", D("2.00005")),
        metrics_export.Row("rita", "tie_up", D("2.00015")),
    ]
    text = metrics_export.to_csv(rows)
    assert "rita,sales_cycle_days,20.9697" in text
    assert "rita,avg_deal_size,6666.6667" in text
    assert "rita,tie,2\n" in text
    assert "rita,tie_up,2.0002" in text
    data = json.loads(metrics_export.to_json(rows))
    assert [row["value"] for row in data] == [20.9697, 6666.6667, 2, 2.0002]
    sheet = load_workbook(io.BytesIO(metrics_export.to_xlsx(rows))).active
    assert [r[2] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        20.9697,
        6666.6667,
        2,
        2.0002,
    ]


def board_with(value, unit, attainment):
    kind = "sum"
    m = metric("revenue_won", unit, kind)
    pace = Pace(None, PaceStatus.ON_PACE)
    cell = Cell(m, value, D(10000), attainment, pace)
    person = SimpleNamespace(name="Rita", pk=1)
    return Dashboard(
        team=SimpleNamespace(name="Alpha", pk=1),
        period=MARCH,
        today=dt.date(2026, 3, 16),
        elapsed=Fraction(1, 8),
        metrics=(m,),
        rows=(Row(person, (cell,)),),
        totals=(cell,),
        sort="name",
        descending=False,
    )


def test_the_dashboard_exports_keep_four_decimals_rounded_the_same_way():
    board = board_with(DEAL, "currency", D("0.66666667"))
    with translation.override("en"):
        rows = list(csv.reader(io.StringIO(dashboard_exports.to_csv(board).decode("utf-8-sig"))))
        sheet = load_workbook(io.BytesIO(dashboard_exports.to_xlsx(board))).active
    assert rows[1] == ["Rita", "6666.6667", "10000", "0.6667"]
    assert list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0] == (
        "Rita",
        6666.6667,
        10000,
        0.6667,
    )


def test_charts_are_fed_the_figure_the_page_shows():
    board = board_with(DEAL, "currency", D("0.125"))
    with translation.override("en"):
        chart = dashboard_chart(board)
    # 12.5 % of target reads "12 %" on the page (half to even): the bar says 12 too.
    assert chart["values"] == [12]
    assert chart["expected"] == 12  # an eighth of the period elapsed: 12.5 -> 12
    trend = tuple(TrendPoint(MARCH, v, None, None) for v in (CYCLE,))
    kpis = []
    for unit, value in (("days", CYCLE), ("currency", DEAL), ("percent", D("0.12345"))):
        points = tuple(TrendPoint(p.period, value, value, value) for p in trend)
        pace = Pace(None, PaceStatus.NO_TARGET)
        kpis.append(
            Kpi(metric(unit, unit), None, None, None, pace, None, None, points)  # type: ignore[arg-type]
        )
    card = Scorecard(
        SimpleNamespace(name="Rita"), MARCH, MARCH.end, Fraction(1), None, 1, tuple(kpis)
    )
    with translation.override("en"):
        charts = scorecard_charts(card, "EUR")["charts"]
    assert charts[0]["actual"] == [21]  # the page: "21.0 d"
    assert charts[1]["actual"] == [6667]  # the page: "EUR 6,667"
    assert charts[2]["actual"] == [0.123]  # shown × 100 by charts.js: "12.3 %"
    assert shown(D("0.12345"), "percent") == D("12.3")
