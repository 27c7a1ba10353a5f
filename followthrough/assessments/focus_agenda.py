"""The 1:1 agenda's "Focus areas" section (registered from AssessmentsConfig.ready).

The rep's active focus areas: the competency, the metric that should move, and that
metric this month against the rep's three months before it. Two queries: the focus
areas, then one set-based metric engine call for every metric and both periods
(skipped when no focus area names a metric).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followthrough.assessments.models import FocusArea, FocusStatus
from followthrough.assessments.texts import shown
from followthrough.coaching.agenda import AgendaContext, register_section
from followthrough.goals.catalog import is_additive
from followthrough.lib.periods import Period, add_months, period_of
from followthrough.metrics import engine

# The baseline a focus metric is compared with: the months before this one.
BASELINE_MONTHS = 3


def _text(value) -> str | None:
    """A figure as JSON text, whole numbers without trailing zeros."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value.quantize(Decimal("0.01")).normalize())


def baseline_period(month_start: dt.date) -> Period:
    return Period(add_months(month_start, -BASELINE_MONTHS), month_start - dt.timedelta(days=1))


def focus_areas(ctx: AgendaContext) -> list[dict[str, Any]]:
    areas = list(
        FocusArea.objects.filter(rep_id=ctx.rep.pk, status=FocusStatus.ACTIVE)
        .select_related("competency")
        .order_by("picked_on", "pk")
    )
    if not areas:
        return []
    month = period_of("month", ctx.until)
    to_date = Period(month.start, ctx.until)
    before = baseline_period(month.start)
    catalog = engine.get_metrics(ctx.org)
    keys = sorted({a.metric_key for a in areas if a.metric_key in catalog})
    results = engine.compute(ctx.org, keys, [to_date, before], [ctx.rep.pk]) if keys else None
    items = []
    for area in areas:
        metric = catalog.get(area.metric_key) if area.metric_key else None
        item: dict[str, Any] = {
            "id": area.pk,
            "text": shown(area.competency.name),
            "competency_id": area.competency_id,
            "metric": area.metric_key,
            "note": area.note,
            "url": reverse("focus_areas") + f"?person={ctx.rep.pk}#focus-{area.pk}",
            "detail": area.note,
        }
        if metric is not None and results is not None:
            now = results.get(ctx.rep.pk, area.metric_key, to_date).value
            then = results.get(ctx.rep.pk, area.metric_key, before).value
            if then is not None and is_additive(metric):
                then = (Decimal(then) / BASELINE_MONTHS).quantize(Decimal("0.1"))
            item.update({"value": _text(now), "baseline": _text(then)})
            figures = _(
                "%(metric)s: %(now)s this month, baseline %(then)s (the three months before)"
            ) % {
                "metric": metric.label,
                "now": _text(now) if now is not None else "–",
                "then": _text(then) if then is not None else "–",
            }
            item["detail"] = f"{figures}. {area.note}".strip() if area.note else figures
        items.append(item)
    return items


register_section("focus_areas", gettext_lazy("Focus areas"), 25, focus_areas)
