"""The metrics goals can be set on, from the metric engine's catalog."""

from __future__ import annotations

from followthrough.people.models import Organisation

# Kinds of metric whose values add up over days and people (so targets prorate,
# ramp and roll up); rates, averages and durations do not.
ADDITIVE_KINDS = frozenset({"count", "sum"})


def metrics_of(org: Organisation) -> dict:
    """Metric key -> Metric for the organisation (built-in and its own)."""
    from followthrough.metrics.engine import get_metrics

    return dict(get_metrics(org))


def is_additive(metric) -> bool:
    return str(metric.kind) in ADDITIVE_KINDS


def metric_choices(org: Organisation) -> list[tuple[str, str]]:
    """(key, name) in the reader's language, sorted by name: built-in names are translated
    when shown, their stored (English) names stay as they are."""
    metrics = metrics_of(org)
    return sorted(((key, m.label) for key, m in metrics.items()), key=lambda c: c[1].lower())
