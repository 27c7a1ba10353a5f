"""Pages: calibration across managers (leaders and admins)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from followthrough.assessments import calibration, rights
from followthrough.assessments.texts import shown
from followthrough.metrics.labels import format_value, period_label
from followthrough.people.lines import today_for
from followthrough.web.decorators import person_required

# Means and gaps are shown with two decimals: enough to see the 0.75 threshold.
PLACES = 2


def mean_text(value: Decimal | None) -> str:
    return "—" if value is None else number_format(round(value, PLACES), PLACES, use_l10n=True)


def choose_quarter(params, viewer, today: dt.date):
    """The quarter asked for (?quarter=first day), else the current one when it has ratings, else the last.

    Returns (period, offered, error): a quarter not offered is refused in words, not a 500.
    """
    offered = calibration.quarters(today)
    asked = params.get("quarter")
    if asked:
        for period in offered:
            if period.start.isoformat() == asked:
                return period, offered, ""
        error = _("Choose one of the quarters offered.")
    else:
        error = ""
    period = offered[0] if calibration.has_ratings(viewer, offered[0]) else offered[1]
    return period, offered, error


def explain(
    row, manager: str, competency: str | None, metric: str | None, unit: str, currency: str
) -> str:
    """A flag in words, with the numbers behind it."""
    numbers = {
        "manager": manager,
        "competency": competency,
        "metric": metric,
        "rated": mean_text(row.mean_rated),
        "suggested": mean_text(row.mean_suggested),
        "gap": mean_text(abs(row.gap)),
        "count": row.compared,
        "figure": format_value(row.mean_metric, unit, currency)
        if row.mean_metric is not None
        else "—",
    }
    if competency is None:
        text = _(
            "%(manager)s rates %(rated)s on average across the competencies; the metrics of "
            "the reps rated suggest %(suggested)s (%(count)s ratings)."
        )
    else:
        text = _(
            "%(manager)s rates %(competency)s %(rated)s on average; the %(metric)s of the "
            "reps rated (%(figure)s on average) suggests %(suggested)s (%(count)s ratings)."
        )
    text = text % numbers
    if row.flag == calibration.ABOVE:
        return (
            text + " " + _("That is %(gap)s of a level above what the figures suggest.") % numbers
        )
    return text + " " + _("That is %(gap)s of a level below what the figures suggest.") % numbers


def segments(row, labels: list[str]) -> list[dict]:
    """The stacked bar of one distribution: x and width in per cent of the bar."""
    found, x = [], Decimal(0)
    for index, share in enumerate(row.shares):
        if row.counts[index]:
            found.append(
                {
                    "x": f"{x:.2f}",
                    "width": f"{share:.2f}",
                    "level": index,
                    "title": f"{labels[index]}: {row.counts[index]} ({share:.0f} %)",
                    "count": row.counts[index],
                }
            )
        x += share
    return found


def marker(value: Decimal | None, levels: int) -> str:
    """Where a mean level sits on the bar (the middle of its level's band), in per cent."""
    if value is None or levels < 1:
        return ""
    return f"{(value + Decimal('0.5')) * 100 / levels:.2f}"


@person_required
def calibration_page(request):
    me = request.person
    if not rights.can_calibrate(me):
        raise PermissionDenied(_("Calibration is for leaders and admins."))
    org = me.organisation
    period, offered, error = choose_quarter(request.GET, me, today_for(org))
    gathered, result = calibration.calibration_for(me, period)
    names = {p.pk: p.name for p in gathered.managers}
    by_id = {c.pk: c for c in gathered.competencies}
    flags, blocks = [], []
    for item in result.competencies:
        competency = by_id[item.competency_id]
        labels = [shown(label) for label in gathered.level_labels[competency.pk]]
        metric = gathered.metric_names.get(competency.metric_key)
        unit = gathered.metric_units.get(competency.metric_key, "")
        rows = []
        for row in [*item.rows, item.everyone]:
            manager = names.get(row.manager_id, _("All managers"))
            text = ""
            if row.flag:
                text = explain(row, manager, shown(competency.name), metric, unit, org.currency)
                flags.append({"text": text, "flag": row.flag})
            rows.append(
                {
                    "manager": manager,
                    "everyone": row.manager_id is None,
                    "row": row,
                    "cells": list(zip(row.counts, [f"{s:.0f}" for s in row.shares], strict=True)),
                    "mean": mean_text(row.mean_level),
                    "suggested": mean_text(row.mean_suggested),
                    "gap": mean_text(row.gap),
                    "figure": format_value(row.mean_metric, unit, org.currency) if metric else "",
                    "segments": segments(row, labels),
                    "rated_at": marker(row.mean_level, item.levels),
                    "suggested_at": marker(row.mean_suggested, item.levels),
                    "explanation": text,
                }
            )
        blocks.append(
            {
                "competency": competency,
                "name": shown(competency.name),
                "section": shown(competency.section.name),
                "metric": metric,
                "labels": labels,
                "rows": rows,
            }
        )
    overall = []
    for row in result.overall:
        text = explain(row, names[row.manager_id], None, None, "", org.currency) if row.flag else ""
        if text:
            flags.append({"text": text, "flag": row.flag})
        overall.append(
            {
                "manager": names[row.manager_id],
                "row": row,
                "rated": mean_text(row.mean_rated),
                "suggested": mean_text(row.mean_suggested),
                "gap": mean_text(row.gap),
                "explanation": text,
            }
        )
    context = {
        "period": period,
        "period_name": period_label(period),
        "offered": [(p.start.isoformat(), period_label(p), p == period) for p in offered],
        "error": error,
        "blocks": blocks,
        "overall": overall,
        "flags": flags,
        "ratings": len(gathered.observations),
        "flag_gap": mean_text(calibration.FLAG_GAP),
        "min_ratings": calibration.MIN_RATINGS,
        "tab": "calibration",
    }
    return render(
        request, "assessments/calibration/calibration.html", context, status=400 if error else 200
    )
