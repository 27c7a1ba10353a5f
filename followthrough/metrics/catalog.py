"""The built-in metrics every organisation starts with, and the lookup of an organisation's metrics.

Built-ins are ordinary rows, seeded per organisation (a data migration for the
organisations that existed, a signal for new ones), so the engine treats them
exactly like the metrics an admin adds. docs/metrics.md defines each one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from followthrough.metrics.choices import DateBasis, Kind, Measure, Source, Unit

A, D, L, S = Source.ACTIVITIES, Source.DEALS, Source.LEADS, Source.STAGE_CHANGES
WON, LOST, OPEN = "won", "lost", "open"


def _count(key, name, source, basis, filters=None, unit=Unit.COUNT, better=True, measure=""):
    return {
        "key": key,
        "name": name,
        "kind": Kind.COUNT,
        "source": source,
        "date_basis": basis,
        "filters": filters or {},
        "measure": measure,
        "unit": unit,
        "higher_is_better": better,
    }


def _sum(key, name, source, basis, measure, filters=None, unit=Unit.CURRENCY):
    row = _count(key, name, source, basis, filters, unit)
    return {**row, "kind": Kind.SUM, "measure": measure}


def _ratio(key, name, numerator, denominator, unit, kind=Kind.RATIO, scale=1, better=True):
    return {
        "key": key,
        "name": name,
        "kind": kind,
        "numerator": numerator,
        "denominator": denominator,
        "unit": unit,
        "scale": Decimal(scale),
        "higher_is_better": better,
    }


OCC, CRE, CLO = DateBasis.OCCURRED, DateBasis.CREATED, DateBasis.CLOSED

# Order matters: a ratio comes after the metrics it divides. Names are stored in English
# and marked for translation: Metric.label translates them in the UI.
BUILTINS: list[dict[str, Any]] = [
    _count("activities", gettext_noop("Activities"), A, OCC),
    _count("calls", gettext_noop("Calls"), A, OCC, {"type": ["call"]}),
    _count("emails", gettext_noop("E-mails"), A, OCC, {"type": ["email"]}),
    _count("meetings", gettext_noop("Meetings"), A, OCC, {"type": ["meeting"]}),
    _count("demos", gettext_noop("Demos"), A, OCC, {"type": ["demo"]}),
    _count("tasks", gettext_noop("Tasks"), A, OCC, {"type": ["task"]}),
    _count(
        "first_meetings_held",
        gettext_noop("First meetings held"),
        A,
        OCC,
        {"outcome": ["first_meeting_held"]},
    ),
    _count(
        "second_meetings_held",
        gettext_noop("Second meetings held"),
        A,
        OCC,
        {"outcome": ["second_meeting_held"]},
    ),
    _count(
        "outbound_activities",
        gettext_noop("Outbound activities"),
        A,
        OCC,
        {"direction": ["outbound"]},
    ),
    _ratio(
        "meetings_per_100_outbound",
        gettext_noop("Meetings per 100 outbound activities"),
        "meetings",
        "outbound_activities",
        Unit.RATIO,
        scale=100,
    ),
    _count("deals_created", gettext_noop("Deals created"), D, CRE),
    _sum("pipeline_created", gettext_noop("Pipeline created"), D, CRE, Measure.AMOUNT),
    _count("deals_won", gettext_noop("Deals won"), D, CLO, {"outcome": [WON]}),
    _count("deals_lost", gettext_noop("Deals lost"), D, CLO, {"outcome": [LOST]}, better=False),
    _count("deals_closed", gettext_noop("Deals closed"), D, CLO, {"outcome": [LOST, WON]}),
    _sum("revenue_won", gettext_noop("Revenue won"), D, CLO, Measure.AMOUNT, {"outcome": [WON]}),
    _ratio("win_rate", gettext_noop("Win rate"), "deals_won", "deals_closed", Unit.PERCENT),
    _ratio(
        "avg_deal_size",
        gettext_noop("Average deal size"),
        "revenue_won",
        "deals_won",
        Unit.CURRENCY,
        Kind.AVERAGE,
    ),
    {
        **_count(
            "sales_cycle_days",
            gettext_noop("Sales cycle (days)"),
            D,
            CLO,
            {"outcome": [WON]},
            Unit.DAYS,
        ),
        "kind": Kind.DURATION,
        "measure": Measure.CYCLE_DAYS,
        "higher_is_better": False,
    },
    _count(
        "new_logos", gettext_noop("New logos"), D, CLO, {"new_logo": True}, measure=Measure.ACCOUNTS
    ),
    _count(
        "upsells_won",
        gettext_noop("Upsells won"),
        D,
        CLO,
        {"outcome": [WON], "deal_type": ["upsell"]},
    ),
    _count(
        "cross_sells_won",
        gettext_noop("Cross-sells won"),
        D,
        CLO,
        {"outcome": [WON], "deal_type": ["cross_sell"]},
    ),
    _ratio("upsell_rate", gettext_noop("Upsell rate"), "upsells_won", "deals_won", Unit.PERCENT),
    _ratio(
        "cross_sell_rate",
        gettext_noop("Cross-sell rate"),
        "cross_sells_won",
        "deals_won",
        Unit.PERCENT,
    ),
    _count("deals_due", gettext_noop("Deals due"), D, CLO, {"overdue": True}),
    _count(
        "deals_stalled",
        gettext_noop("Deals stalled"),
        D,
        CLO,
        {"outcome": [OPEN], "overdue": True},
        better=False,
    ),
    _count(
        "deals_leaked",
        gettext_noop("Deals leaked"),
        D,
        CLO,
        {"outcome": [LOST, OPEN], "overdue": True},
        better=False,
    ),
    _ratio(
        "pipeline_leakage",
        gettext_noop("Pipeline leakage"),
        "deals_leaked",
        "deals_due",
        Unit.PERCENT,
        better=False,
    ),
    _count("stage_moves", gettext_noop("Stage moves"), S, DateBasis.ENTERED),
    _count("leads_created", gettext_noop("Leads created"), L, CRE),
    _count("leads_converted", gettext_noop("Leads converted"), L, DateBasis.CONVERTED),
    # Outcomes per activity and new business on its own: the three rights (diagnostics/).
    _count("cold_calls", gettext_noop("Cold calls"), A, OCC, {"type": ["call"], "cold": True}),
    _count("cold_emails", gettext_noop("Cold e-mails"), A, OCC, {"type": ["email"], "cold": True}),
    _count(
        "meetings_booked_calls",
        gettext_noop("Meetings booked from cold calls"),
        A,
        OCC,
        {"type": ["call"], "cold": True, "outcome": ["meeting_booked"]},
    ),
    _count(
        "meetings_booked_emails",
        gettext_noop("Meetings booked from cold e-mails"),
        A,
        OCC,
        {"type": ["email"], "cold": True, "outcome": ["meeting_booked"]},
    ),
    _ratio(
        "meetings_per_100_cold_calls",
        gettext_noop("Meetings per 100 cold calls"),
        "meetings_booked_calls",
        "cold_calls",
        Unit.RATIO,
        scale=100,
    ),
    _ratio(
        "meetings_per_100_cold_emails",
        gettext_noop("Meetings per 100 cold e-mails"),
        "meetings_booked_emails",
        "cold_emails",
        Unit.RATIO,
        scale=100,
    ),
    _count(
        "new_business_created",
        gettext_noop("New business created"),
        D,
        CRE,
        {"deal_type": ["new_business"]},
    ),
    _count(
        "new_business_won",
        gettext_noop("New business won"),
        D,
        CLO,
        {"outcome": [WON], "deal_type": ["new_business"]},
    ),
    _count(
        "new_business_closed",
        gettext_noop("New business closed"),
        D,
        CLO,
        {"outcome": [LOST, WON], "deal_type": ["new_business"]},
    ),
]

BUILTIN_KEYS = tuple(row["key"] for row in BUILTINS)


def seed_catalog(org, metric_model=None) -> int:
    """Add the built-in metrics an organisation lacks; returns how many were added.

    `metric_model` lets the data migration pass its historical model.
    """
    if metric_model is None:
        from followthrough.metrics.models import Metric as metric_model
    with transaction.atomic():
        existing = {m.key: m for m in metric_model.objects.filter(organisation_id=org.pk)}
        added = 0
        # Two passes with bulk inserts (no per-row signals): the metrics, then the ratios
        # that refer to them.
        for divided in (False, True):
            batch = []
            for position, row in enumerate(BUILTINS):
                if row["key"] in existing or ("numerator" in row) != divided:
                    continue
                fields = dict(row)
                for name in ("numerator", "denominator"):
                    if name in fields:
                        fields[name] = existing[fields[name]]
                batch.append(
                    metric_model(
                        organisation_id=org.pk, builtin=True, position=(position + 1) * 10, **fields
                    )
                )
            for metric in metric_model.objects.bulk_create(batch):
                existing[metric.key] = metric
            added += len(batch)
    return added


# Organisation id -> (freshness stamp, metrics by key). Loading and decoding the catalog
# cost more than a scorecard's queries; one aggregate query tells whether it changed.
_cache: dict[int, tuple[tuple, dict[str, Any]]] = {}


def forget_catalog(org_id: int | None = None) -> None:
    """Drop this process's cached catalog (of one organisation, or all)."""
    if org_id is None:
        _cache.clear()
    else:
        _cache.pop(org_id, None)


def get_metrics(org) -> dict[str, Any]:
    """The organisation's metrics by key (built-in and added), with their parts loaded."""
    from django.db.models import Count, Max

    from followthrough.metrics.models import Metric

    rows = Metric.objects.filter(organisation_id=org.pk)
    stamp = tuple(rows.aggregate(n=Count("pk"), last=Max("pk"), at=Max("updated_at")).values())
    cached = _cache.get(org.pk)
    if cached is not None and cached[0] == stamp:
        return dict(cached[1])
    metrics = {m.key: m for m in rows.select_related("numerator", "denominator")}
    _cache[org.pk] = (stamp, metrics)
    return dict(metrics)


Catalog = get_metrics
