"""Goals as people read them: targets in their metric's unit, ramps as percentages.

Used by the goal list and by the audit history (registered as Goal's and
GoalSettings' display hook in goals.apps), so a target reads the same in both.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from followthrough.goals.ramp import shares_text
from followthrough.lib.periods import Period
from followthrough.metrics.labels import format_value, period_label


def target_text(target: Decimal | None, metric, currency: str = "") -> str:
    """50000 -> 'EUR 50,000', 0.3 (a rate) -> '30.0 %', 20 (days) -> '20.0 d'."""
    # The one number format of the pages: a target reads as its figure.
    if target is None:
        return "—"
    unit = str(metric.unit) if metric is not None else ""
    return format_value(Decimal(target), unit, currency)


def _metrics(org_id: int | None, memo: dict) -> tuple[dict, str]:
    """The organisation's metrics and currency, read once per page."""
    if org_id not in memo:
        from followthrough.goals.catalog import metrics_of
        from followthrough.people.models import Organisation

        org = Organisation.objects.filter(pk=org_id).first()
        memo[org_id] = (metrics_of(org), org.currency) if org is not None else ({}, "")
    return memo[org_id]


def audit_title(values: dict[str, Any], memo: dict) -> str | None:
    """'Rita · Win rate · Q1 2026': whom, which metric and period, in the reader's language."""
    import datetime as dt

    if "start" not in values or "end" not in values:
        return None
    metrics, _currency = _metrics(values.get("organisation"), memo)
    metric = metrics.get(values.get("metric_key"))
    start, end = (dt.date.fromisoformat(str(values[name])) for name in ("start", "end"))
    kind = values.get("period_kind") or "custom"
    period = Period(start, end, kind, start.month if kind == "fiscal_year" else 1)
    who = _name_of(values, memo)
    what = metric.label if metric is not None else values.get("metric_key", "")
    return " · ".join(part for part in (who, what, period_label(period)) if part)


def _name_of(values: dict[str, Any], memo: dict) -> str:
    """The person's or team's name, from the names the audit display looked up at once."""
    from followthrough.people.models import Person, Team

    names = memo.get("names", {})
    for key, model in (("person", Person), ("team", Team)):
        pk = values.get(key)
        if pk:
            return names.get((model, pk), f"#{pk}")
    return ""


def audit_value(name: str, raw: Any, values: dict[str, Any], memo: dict) -> str | None:
    """A goal's target and own ramp for the audit history; None: the default display."""
    if name == "ramp_shares" and isinstance(raw, list):
        return shares_text(raw) if raw else None
    if name == "target":
        try:
            target = Decimal(str(raw))
        except InvalidOperation:
            return None
        metrics, currency = _metrics(values.get("organisation"), memo)
        return target_text(target, metrics.get(values.get("metric_key")), currency)
    if name == "metric_key":
        metrics, _currency = _metrics(values.get("organisation"), memo)
        metric = metrics.get(raw)
        return metric.label if metric is not None else None
    if name == "scorecard_metrics" and isinstance(raw, list):
        if not raw:
            return None
        metrics, _currency = _metrics(values.get("organisation"), memo)
        return ", ".join(metrics[key].label if key in metrics else key for key in raw)
    return None
