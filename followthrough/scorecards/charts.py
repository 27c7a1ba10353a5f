"""Chart data for the pages: plain JSON-ready dicts drawn by static/scorecards/charts.js.

Labels are translated and periods named here, in the reader's language;
numbers stay numbers, and the browser formats them for the page's locale.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from followthrough.metrics.labels import short_period_label
from followthrough.metrics.numbers import HUNDRED, PERCENT, json_number, shown, shown_share
from followthrough.scorecards.dashboard import Dashboard
from followthrough.scorecards.scorecard import Scorecard


def _num(value: Decimal | None, unit: str) -> int | float | None:
    """A figure rounded as the page shows it, in the figure's own scale (a rate: 0.253)."""
    if value is None:
        return None
    figure = shown(value, unit)
    if unit == PERCENT:
        figure = figure / HUNDRED  # charts.js shows rates × 100, as the page does
    return json_number(figure)


def _share(value: Decimal | None) -> int | float | None:
    """An attainment as the whole percentage the page shows."""
    return json_number(shown_share(value))


def scorecard_charts(card: Scorecard, currency: str) -> dict:
    """One trend chart per KPI: the person, their target and the team's median."""
    labels = [short_period_label(point.period) for point in card.kpis[0].trend] if card.kpis else []
    return {
        "currency": currency,
        "names": {
            "actual": card.person.name,
            "target": _("Target"),
            "median": _("Team median"),
        },
        "labels": labels,
        "charts": [
            {
                "id": f"trend-{kpi.key}",
                "unit": str(kpi.metric.unit),
                "actual": [_num(p.value, str(kpi.metric.unit)) for p in kpi.trend],
                "target": [_num(p.target, str(kpi.metric.unit)) for p in kpi.trend],
                "median": [_num(p.team_median, str(kpi.metric.unit)) for p in kpi.trend],
            }
            for kpi in card.kpis
        ],
    }


def dashboard_chart(board: Dashboard) -> dict:
    """Attainment per person on the first metric that has targets: a bar chart."""
    index = next(
        (
            i
            for i, total in enumerate(board.totals)
            if any(row.cells[i].attainment is not None for row in board.rows)
        ),
        None,
    )
    if index is None:
        return {}
    metric = board.metrics[index]
    return {
        "id": "attainment-chart",
        "title": _("Attainment: %(metric)s") % {"metric": _(metric.name)},
        "labels": [row.person.name for row in board.rows],
        "values": [_share(row.cells[index].attainment) for row in board.rows],
        "expected": _share(Decimal(board.elapsed.numerator) / board.elapsed.denominator)
        if str(metric.kind) in ("count", "sum")
        else 100,
        "names": {"attainment": _("Attainment (%)"), "expected": _("Expected by today")},
    }
