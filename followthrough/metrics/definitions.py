"""What a metric definition may say, checked field by field, and how it reads the facts.

One place knows, for each kind of fact, its model, owner, dates, filters and
measures. The form, the API serializer, the engine, the rollups and the
drill-down all ask here, so a definition means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Q
from django.utils.translation import gettext as _

from followthrough.crm.choices import ActivityOutcome, ActivityType, DealType, Direction, Outcome
from followthrough.crm.models import Activity, Deal, DealStageChange, Lead
from followthrough.metrics.choices import BASE_KINDS, DateBasis, Kind, Measure, Source

CHOICES, TEXT, BOOL = "choices", "text", "bool"


@dataclass(frozen=True)
class FilterSpec:
    """One filter a source accepts: its value type and how it narrows the facts."""

    type: str
    lookup: str = ""
    choices: tuple[str, ...] = ()
    # Local filters depend on the fact's own row only, so rollups can keep them.
    local: bool = True


@dataclass(frozen=True)
class SourceSpec:
    """A kind of fact: its model, who owns it, its dates, filters and measures."""

    model: type[Model]
    owner: str
    dates: dict[str, str]
    filters: dict[str, FilterSpec]
    measures: dict[str, str] = field(default_factory=dict)


def _values(choices) -> tuple[str, ...]:
    return tuple(choices.values)


SOURCES: dict[str, SourceSpec] = {
    Source.DEALS: SourceSpec(
        model=Deal,
        owner="owner_id",
        dates={DateBasis.CREATED: "created_on", DateBasis.CLOSED: "close_on"},
        filters={
            "outcome": FilterSpec(CHOICES, "outcome__in", _values(Outcome)),
            "deal_type": FilterSpec(CHOICES, "deal_type__in", _values(DealType)),
            "stage": FilterSpec(TEXT, "stage__in"),
            "product_family": FilterSpec(TEXT, "product__family__in", local=False),
            "stage_reached": FilterSpec(TEXT, local=False),
            "new_logo": FilterSpec(BOOL, local=False),
            "overdue": FilterSpec(BOOL, local=False),
        },
        measures={
            Measure.FACTS: "",
            Measure.ACCOUNTS: "account_id",
            Measure.AMOUNT: "amount",
            Measure.CYCLE_DAYS: "",
        },
    ),
    Source.ACTIVITIES: SourceSpec(
        model=Activity,
        owner="owner_id",
        dates={DateBasis.OCCURRED: "occurred_on"},
        filters={
            "type": FilterSpec(CHOICES, "type__in", _values(ActivityType)),
            "outcome": FilterSpec(CHOICES, "outcome__in", _values(ActivityOutcome)),
            "direction": FilterSpec(CHOICES, "direction__in", _values(Direction)),
            "cold": FilterSpec(BOOL, "is_cold"),
        },
        measures={
            Measure.FACTS: "",
            Measure.ACCOUNTS: "account_id",
            Measure.SECONDS: "duration_seconds",
        },
    ),
    Source.LEADS: SourceSpec(
        model=Lead,
        owner="owner_id",
        dates={DateBasis.CREATED: "created_on", DateBasis.CONVERTED: "converted_on"},
        filters={
            "status": FilterSpec(TEXT, "status__in"),
            "lead_source": FilterSpec(TEXT, "lead_source__in"),
            "converted": FilterSpec(BOOL),
        },
        measures={Measure.FACTS: ""},
    ),
    Source.STAGE_CHANGES: SourceSpec(
        model=DealStageChange,
        owner="deal__owner_id",
        dates={DateBasis.ENTERED: "changed_on"},
        filters={
            "from_stage": FilterSpec(TEXT, "from_stage__in"),
            "to_stage": FilterSpec(TEXT, "to_stage__in"),
            "outcome": FilterSpec(CHOICES, "deal__outcome__in", _values(Outcome), local=False),
            "deal_type": FilterSpec(CHOICES, "deal__deal_type__in", _values(DealType), local=False),
        },
        measures={Measure.FACTS: "", Measure.AMOUNT: "deal__amount"},
    ),
}

MEASURES_BY_KIND = {
    Kind.COUNT: (Measure.FACTS, Measure.ACCOUNTS),
    Kind.SUM: (Measure.AMOUNT, Measure.SECONDS),
    Kind.DURATION: (Measure.CYCLE_DAYS,),
}


def filter_q(source: str, filters: dict[str, Any], today: dt.date | None = None) -> Q:
    """The facts of `source` a definition's filters keep (all filters must hold)."""
    spec = SOURCES[source]
    query = Q()
    for name, value in sorted(filters.items()):
        fspec = spec.filters[name]
        if name == "stage_reached":
            moves = DealStageChange.objects.filter(deal=OuterRef("pk"), to_stage__in=value)
            query &= Q(Exists(moves))
        elif name == "new_logo":
            logo = Q(outcome=Outcome.WON, account__first_won_on=F("close_on"))
            query &= logo if value else ~logo
        elif name == "overdue":
            # Open deals count once their expected close date has passed; closed ones always.
            due = ~Q(outcome=Outcome.OPEN) | Q(close_on__lt=today or dt.date.today())
            query &= due if value else ~due
        elif name == "converted":
            query &= Q(converted_on__isnull=not value)
        elif fspec.type == BOOL:
            query &= Q(**{fspec.lookup: value})
        else:
            query &= Q(**{fspec.lookup: list(value)})
    return query


def is_local(source: str, filters: dict[str, Any], measure: str) -> bool:
    """Whether a fact's contribution depends on its own row only (so it can be rolled up).

    A stage change belongs to its deal's owner: rollups follow owner changes (see
    rollups.py). `overdue: true` is kept as if absent: it holds for every deal
    whose close date is in a period that has ended, and only such periods are read
    from the rollups (see rolled_for).
    """
    if measure == Measure.ACCOUNTS:
        return False  # distinct counts do not add up across days
    spec = SOURCES[source]
    return all(
        spec.filters[name].local or (name == "overdue" and value is True)
        for name, value in filters.items()
    )


def rolled_for(filters: dict[str, Any], periods_end: dt.date, today: dt.date) -> bool:
    """Whether a rolled-up metric may be read from rollups for periods ending on `periods_end`."""
    return "overdue" not in filters or periods_end < today


def stored_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters a rollup applies when it is written (see is_local about overdue)."""
    return {name: value for name, value in filters.items() if name != "overdue"}


def _clean_filters(source: str, filters: Any, errors: dict[str, list[str]]) -> dict[str, Any]:
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        errors.setdefault("filters", []).append(_("Filters must be an object of name: values."))
        return {}
    spec = SOURCES.get(source)
    if spec is None:
        if filters:
            errors.setdefault("filters", []).append(_("Only metrics reading facts take filters."))
        return {}
    cleaned: dict[str, Any] = {}
    for name, value in filters.items():
        fspec = spec.filters.get(name)
        if fspec is None:
            errors.setdefault("filters", []).append(
                _("Unknown filter %(name)s for %(source)s; known: %(known)s.")
                % {"name": name, "source": source, "known": ", ".join(sorted(spec.filters))}
            )
            continue
        if fspec.type == BOOL:
            if not isinstance(value, bool):
                errors.setdefault("filters", []).append(
                    _("Filter %(name)s takes true or false.") % {"name": name}
                )
                continue
            cleaned[name] = value
            continue
        values = [value] if isinstance(value, str) else value
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and v for v in values)
        ):
            errors.setdefault("filters", []).append(
                _("Filter %(name)s takes a value or a non-empty list of values.") % {"name": name}
            )
            continue
        unknown = [v for v in values if fspec.choices and v not in fspec.choices]
        if unknown:
            errors.setdefault("filters", []).append(
                _("Filter %(name)s does not accept %(values)s; it accepts %(choices)s.")
                % {
                    "name": name,
                    "values": ", ".join(unknown),
                    "choices": ", ".join(fspec.choices),
                }
            )
            continue
        cleaned[name] = sorted(set(values))
    return cleaned


def validate_definition(data: dict[str, Any], org_id: int | None) -> dict[str, list[str]]:
    """Field-level errors of a definition; `data` is normalised in place when valid.

    `data` holds kind, source, date_basis, measure, filters, numerator and
    denominator (Metric instances or None).
    """
    errors: dict[str, list[str]] = {}
    kind = data.get("kind")
    source = data.get("source") or ""
    if kind in BASE_KINDS:
        if source not in SOURCES:
            errors["source"] = [_("Choose the facts this metric reads.")]
        else:
            spec = SOURCES[source]
            if data.get("date_basis") not in spec.dates:
                errors["date_basis"] = [
                    _("For %(source)s the date is one of: %(dates)s.")
                    % {"source": source, "dates": ", ".join(spec.dates)}
                ]
            measure = data.get("measure") or ""
            allowed = [m for m in MEASURES_BY_KIND[kind] if m in spec.measures]
            if measure not in allowed:
                errors["measure"] = [
                    _("A %(kind)s of %(source)s measures one of: %(measures)s.")
                    % {
                        "kind": kind,
                        "source": source,
                        "measures": ", ".join(m or _("number of records") for m in allowed) or "-",
                    }
                ]
        for name in ("numerator", "denominator"):
            if data.get(name) is not None:
                errors[name] = [_("Only ratios and averages have a numerator and denominator.")]
    elif kind in (Kind.RATIO, Kind.AVERAGE):
        for name in ("source", "date_basis", "measure"):
            if data.get(name):
                errors[name] = [_("A ratio reads its numerator and denominator, not facts.")]
        for name in ("numerator", "denominator"):
            other = data.get(name)
            if other is None:
                errors[name] = [_("Choose a metric.")]
            elif other.organisation_id != org_id:
                errors[name] = [_("This metric belongs to another organisation.")]
            elif other.kind not in (Kind.COUNT, Kind.SUM):
                errors[name] = [_("Divide counts and sums only.")]
        data["source"] = data["date_basis"] = data["measure"] = ""
    else:
        errors["kind"] = [_("Choose a kind.")]
    data["filters"] = _clean_filters(source, data.get("filters"), errors)
    return errors
