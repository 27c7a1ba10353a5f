"""Pages: the projection of won deals, the per-rep gaps, and the method's backtest."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followthrough.diagnostics import projection, rights
from followthrough.diagnostics.projection import MonthName, Number, month_period
from followthrough.lib.ids import parse_id
from followthrough.metrics.labels import short_period_label
from followthrough.people.lines import today_for
from followthrough.web.decorators import person_required

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 250, 40, 46, 12


def lag_text(months: int) -> str:
    if months == 0:
        return _("less than a month")
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


def one(value: float | None, places: int = 1) -> str:
    return "—" if value is None else str(Number(value, places))


def chart(tp) -> dict:
    """Bars of actual (past) and projected (coming) won deals, the target as a line: inline SVG."""
    values = [v for v in [*tp.actual, *tp.projected, *tp.target] if v is not None]
    top = max([1.0, *values]) * 1.15
    count = len(tp.months)
    slot = (WIDTH - LEFT) / count
    plot = HEIGHT - BOTTOM - TOP

    def y(value: float) -> float:
        return round(TOP + plot - value / top * plot, 1)

    def c(value: float) -> str:
        """A coordinate as SVG wants it, whatever the reader's locale (never "12,5")."""
        return f"{value:.1f}"

    bars, points = [], []
    for i, month in enumerate(tp.months):
        x = LEFT + i * slot
        label = short_period_label(month_period(month))
        actual, projected, target = tp.actual[i], tp.projected[i], tp.target[i]
        value = actual if actual is not None else projected
        kind = "actual" if actual is not None else "projected"
        if value is not None:
            bars.append(
                {
                    "x": c(x + slot * 0.2),
                    "y": c(y(value)),
                    "width": c(slot * 0.6),
                    "height": c(TOP + plot - y(value)),
                    "kind": kind,
                    "title": f"{label}: {one(value)}",
                }
            )
        if target is not None:
            points.append(f"{c(x + slot / 2)},{c(y(target))}")
    ticks = []
    step = max(1, round(top / 4))
    for n in range(0, int(top) + 1, step):
        ticks.append({"y": c(y(n)), "label": str(Number(n))})
    return {
        "width": str(WIDTH),
        "height": str(HEIGHT),
        "left": str(LEFT),
        "tick_x": str(LEFT - 6),
        "base": str(TOP + plot),
        "month_y": str(TOP + plot + 20),
        "year_y": str(TOP + plot + 40),
        "bars": bars,
        "target": " ".join(points),
        "ticks": ticks,
        "labels": [
            {
                "x": c(LEFT + i * slot + slot / 2),
                "month": formats.date_format(month_period(m).start, "M"),
                # The year under the first month and each January.
                "year": str(month_period(m).start.year) if i == 0 or m % 12 == 0 else "",
            }
            for i, m in enumerate(tp.months)
        ],
        "divider": c(LEFT + projection.PAST_SHOWN * slot),
    }


def rep_rows(tp) -> list[dict]:
    return [
        {
            "rep": rep,
            "status": rep.status,
            "status_label": rep.status.label,
            "projected": one(rep.projected_total),
            "target": one(rep.target_total),
            "gap": one(rep.gap),
            "pace": one(rep.pace, 0),
            "need": one(rep.need, 0),
            "reasons": [said.text for said in rep.finding.reasons],
        }
        for rep in tp.reps
    ]


def backtest_rows(tp) -> list[dict]:
    return [
        {
            "fitted": MonthName(row.month),
            "month": MonthName(row.month + row.ahead),
            "ahead": row.ahead,
            "projected": one(row.projected),
            "actual": one(row.actual, 0),
            "baseline": one(row.baseline, 0),
            "error": one(row.projected - row.actual),
        }
        for row in tp.backtest.rows
    ]


def verdict(backtest) -> str:
    if not backtest.rows:
        return _("Not enough history yet to backtest the projection.")
    numbers = {"mae": one(backtest.mae), "baseline": one(backtest.baseline_mae)}
    if backtest.beats_baseline:
        return (
            _(
                "The projection beats last quarter repeated: it missed by %(mae)s won deals a "
                "month on average, the naive baseline by %(baseline)s."
            )
            % numbers
        )
    return (
        _(
            "The projection does not beat last quarter repeated: it missed by %(mae)s won "
            "deals a month on average, the naive baseline by %(baseline)s. Read it with care."
        )
        % numbers
    )


@person_required
def projection_page(request):
    me = request.person
    today = today_for(me.organisation)
    teams = projection.teams_for(me, today)
    asked = request.GET.get("team")
    if asked:
        team = next((t for t in teams if t.pk == parse_id(asked)), None)
        if team is None or (me.role != "rep" and not rights.can_see_team(me, team)):
            raise Http404
    else:
        team = projection.default_team(me, teams, today)
    context = {"section": "projection", "teams": teams, "team": team, "personal": me.role == "rep"}
    if team is not None:
        tp = projection.for_viewer(me, [team], today)[team.pk]
        bt = tp.backtest
        context.update(
            {
                "tp": tp,
                "chart": chart(tp),
                "reps": rep_rows(tp),
                "backtest": backtest_rows(tp),
                "verdict": verdict(bt),
                "mae": one(bt.mae),
                "bias": one(bt.bias),
                "baseline_mae": one(bt.baseline_mae),
                "mean_actual": one(bt.mean_actual),
                "beats": bt.beats_baseline,
                "horizon": projection.HORIZON,
                "projected_total": one(sum(v for v in tp.projected if v is not None)),
                "target_total": one(
                    sum(v for v in tp.target[projection.PAST_SHOWN :] if v is not None)
                    if any(v is not None for v in tp.target[projection.PAST_SHOWN :])
                    else None
                ),
                "rates": {
                    "to_deal": one(tp.model.to_deal.rate * 100, 2),
                    "to_win": one(tp.model.to_win.rate * 100, 0),
                    "deal_lag": lag_text(tp.model.to_deal.peak),
                    "win_lag": lag_text(tp.model.to_win.peak),
                    "deal_lags": [one(w * 100, 0) for w in tp.model.to_deal.distribution],
                    "win_lags": [one(w * 100, 0) for w in tp.model.to_win.distribution],
                },
            }
        )
    return render(request, "diagnostics/projection.html", context)
