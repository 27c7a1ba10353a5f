"""A metric's definition in words, built from the definition itself so it cannot drift."""

from __future__ import annotations

from django.utils.translation import gettext as _

from followthrough.crm.choices import ActivityOutcome, ActivityType, DealType, Direction, Outcome
from followthrough.metrics.choices import DateBasis, Kind, Measure, Source
from followthrough.metrics.models import Metric


def _facts(source: str) -> str:
    return {
        Source.DEALS: _("deals"),
        Source.ACTIVITIES: _("activities"),
        Source.LEADS: _("leads"),
        Source.STAGE_CHANGES: _("stage changes"),
    }[source]


def _when(basis: str) -> str:
    """How the date places a fact in the period, said of the facts ("created in the period")."""
    return {
        DateBasis.CREATED: _("created in the period"),
        DateBasis.CLOSED: _("whose close date is in the period"),
        DateBasis.OCCURRED: _("that happened in the period"),
        DateBasis.ENTERED: _("made in the period"),
        DateBasis.CONVERTED: _("converted in the period"),
    }[basis]


# Filters whose values are choices: their values read as the choices' labels.
CHOICE_LABELS = {
    (Source.DEALS, "outcome"): Outcome,
    (Source.DEALS, "deal_type"): DealType,
    (Source.STAGE_CHANGES, "outcome"): Outcome,
    (Source.STAGE_CHANGES, "deal_type"): DealType,
    (Source.ACTIVITIES, "type"): ActivityType,
    (Source.ACTIVITIES, "outcome"): ActivityOutcome,
    (Source.ACTIVITIES, "direction"): Direction,
}


def _values(source: str, name: str, value) -> list[str]:
    values = [value] if isinstance(value, str) else list(value)
    choices = CHOICE_LABELS.get((source, name))
    if choices is None:
        return [str(v) for v in values]
    labels = dict(choices.choices)
    return [str(labels.get(v, v)).lower() for v in values]


def _filter(source: str, name: str, value) -> str:
    if name == "new_logo":
        return _("the first won deal of its account") if value else _("not a first win")
    if name == "overdue":
        return (
            _("closed, or still open after its expected close date")
            if value
            else _("open and not yet due")
        )
    if name == "converted":
        return _("converted") if value else _("not converted")
    if name == "cold":
        return _("cold") if value else _("not cold")
    label = {
        "outcome": _("outcome"),
        "deal_type": _("deal type"),
        "stage": _("stage"),
        "product_family": _("product family"),
        "stage_reached": _("stage reached"),
        "type": _("type"),
        "direction": _("direction"),
        "status": _("status"),
        "lead_source": _("lead source"),
        "from_stage": _("from stage"),
        "to_stage": _("to stage"),
    }.get(name, name)
    values = _(" or ").join(_values(source, name, value))
    return _("%(name)s is %(values)s") % {"name": label, "values": values}


def describe(metric: Metric) -> str:
    if metric.is_divided:
        text = _("%(numerator)s divided by %(denominator)s; empty when the latter is 0.") % {
            "numerator": metric.numerator.label,
            "denominator": metric.denominator.label,
        }
        if metric.scale != 1:
            text += " " + _("Multiplied by %(scale)s.") % {
                "scale": format(metric.scale.normalize(), "f")
            }
        return text
    where = {"facts": _facts(metric.source), "when": _when(metric.date_basis)}
    if metric.kind == Kind.DURATION:
        text = _(
            "Mean number of days from created to closed, over the %(facts)s %(when)s; "
            "empty when there are none."
        )
    elif metric.kind == Kind.SUM:
        text = _("Sum of the %(measure)s of the %(facts)s %(when)s.")
        where["measure"] = Measure(metric.measure).label.lower()
    elif metric.measure == Measure.ACCOUNTS:
        text = _("Number of distinct accounts of the %(facts)s %(when)s.")
    else:
        text = _("Number of %(facts)s %(when)s.")
    text = text % where
    if metric.filters:
        filters = sorted(metric.filters.items())
        parts = [_filter(metric.source, name, value) for name, value in filters]
        text += " " + _("Only where: %(conditions)s.") % {"conditions": "; ".join(parts)}
    return text
