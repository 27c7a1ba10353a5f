"""Template helpers: figures in the reader's format, pace in words and colour."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followthrough.goals.attainment import PaceStatus
from followthrough.metrics.labels import (
    format_number,
    format_share,
    format_value,
    period_label,
)
from followthrough.scorecards.choosing import period_query

register = template.Library()

STATUS_TEXT = {
    PaceStatus.MET: gettext_lazy("Target met"),
    PaceStatus.ON_PACE: gettext_lazy("On pace"),
    PaceStatus.BEHIND: gettext_lazy("Behind pace"),
    PaceStatus.FAR_BEHIND: gettext_lazy("Far behind pace"),
    PaceStatus.NO_DATA: gettext_lazy("No data yet"),
    PaceStatus.NO_TARGET: gettext_lazy("No target"),
}
# A symbol with each status, so colour is never the only signal.
STATUS_SYMBOL = {
    PaceStatus.MET: "✓",
    PaceStatus.ON_PACE: "↗",
    PaceStatus.BEHIND: "↘",
    PaceStatus.FAR_BEHIND: "⚠",
    PaceStatus.NO_DATA: "·",
    PaceStatus.NO_TARGET: "·",
}


@register.simple_tag
def figure(value, metric, currency: str = "") -> str:
    return format_value(value, str(metric.unit), currency)


@register.filter
def number(value) -> str:
    """A record's number (an amount), rounded as every figure is."""
    return format_number(value)


@register.filter
def zip_metrics(values, metrics) -> list:
    """(value, metric) pairs, for a row of figures in the dashboard's column order."""
    return list(zip(values, metrics, strict=False))


@register.filter
def share(value) -> str:
    return format_share(value)


@register.filter
def status_text(status) -> str:
    return str(STATUS_TEXT.get(status, ""))


@register.filter
def status_symbol(status) -> str:
    return STATUS_SYMBOL.get(status, "")


@register.filter
def period_name(period) -> str:
    return period_label(period)


@register.filter
def period_q(period) -> str:
    """The query string that chooses `period`."""
    return period_query(period)


@register.filter
def metric_name(metric) -> str:
    # Built-in names are English in the database; their translations are in the catalogue.
    return _(metric.name) if metric.name else metric.key


@register.filter
def percent_of(fraction) -> str:
    """An elapsed share (a Fraction) as a whole percentage."""
    return format_share(None if fraction is None else _decimal(fraction))


def _decimal(fraction):
    from decimal import Decimal

    return Decimal(fraction.numerator) / Decimal(fraction.denominator)
