"""The agenda's built-in sections (see agenda.py for how sections are registered).

Each builder reads what it needs for one pair in one or two set-based queries; the
numbers come from the scorecard and the metric engine, so the agenda and the
scorecard never disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from followthrough.coaching.agenda import AgendaContext, register_section
from followthrough.coaching.intervals import interval_for
from followthrough.coaching.models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    MeetingKind,
    Problem,
    ProblemStatus,
    SelfReport,
)
from followthrough.coaching.selfreports import expected_periods
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Activity, Deal, DealChange, DealStageChange
from followthrough.goals.attainment import pace
from followthrough.lib.periods import Period, period_of
from followthrough.metrics import engine

# Commitments due this soon after the meeting are on its agenda too: they come up before the next.
DUE_SOON_DAYS = 7
# A deal review shows this many of the deal's latest activities.
REVIEW_ACTIVITIES = 30
BOTH = (MeetingKind.ONE_ON_ONE, MeetingKind.DEAL_REVIEW)


def _text(value: Any) -> str | None:
    """A figure as JSON text; whole numbers without the zeros a database may add (2, not 2.00)."""
    if value is None:
        return None
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def kpis(ctx: AgendaContext) -> list[dict[str, Any]]:
    """The rep's scorecard KPIs for the month, with pace, and what changed since the last 1:1.

    The month counts up to the meeting's day: an agenda frozen later shows the month as
    it stood then. Built today, it is the scorecard's month, figure for figure.
    """
    from followthrough.scorecards.figures import ADDITIVE
    from followthrough.scorecards.scorecard import build_scorecard

    month = period_of("month", ctx.until)
    card = build_scorecard(ctx.rep, month, today=ctx.until)
    keys = [kpi.key for kpi in card.kpis]
    to_date = Period(month.start, ctx.until)
    window = None
    if ctx.since is not None and ctx.since <= ctx.until:
        window = Period(ctx.since, ctx.until)
    periods = [to_date] if window is None or window == to_date else [to_date, window]
    results = engine.compute(ctx.org, keys, periods, [ctx.rep.pk])
    items = []
    for kpi in card.kpis:
        actual = results.get(ctx.rep.pk, kpi.key, to_date).value
        since = results.get(ctx.rep.pk, kpi.key, window).value if window else None
        status = pace(
            actual,
            kpi.target,
            card.elapsed,
            accumulates=str(kpi.metric.kind) in ADDITIVE,
            higher_is_better=kpi.metric.higher_is_better,
        ).status
        items.append(
            {
                "metric": kpi.key,
                "name": kpi.metric.name,
                "builtin": bool(kpi.metric.builtin),
                "unit": str(kpi.metric.unit),
                "period": month.key,
                "value": _text(actual),
                "target": _text(kpi.target),
                "status": str(status),
                "since": _text(since),
            }
        )
    return items


def commitments(ctx: AgendaContext) -> list[dict[str, Any]]:
    """Open commitments of both people, overdue or due by a week after the meeting."""
    rows = (
        Commitment.objects.filter(
            organisation=ctx.org,
            owner_id__in=(ctx.rep.pk, ctx.manager.pk),
            status=CommitmentStatus.OPEN,
            due_on__lte=ctx.day + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    return [
        {
            "id": c.pk,
            "text": c.text,
            "owner": c.owner.name,
            "owner_id": c.owner_id,
            "due_on": _day(c.due_on),
            "overdue": c.due_on < ctx.today,
        }
        for c in rows
    ]


def self_report(ctx: AgendaContext) -> list[dict[str, Any]]:
    """The rep's latest self-report due by the meeting: their words, or that it is missing.

    A period that fell due after the last report without anyone opening it has no row
    yet: it shows as missing all the same (read only: building an agenda writes nothing).
    """
    # The last two: only the newest can still be running on the meeting's day.
    recent = list(
        SelfReport.objects.filter(rep=ctx.rep, period_start__lte=ctx.day).order_by("-period_start")[
            :2
        ]
    )
    if not recent:
        return []
    last = recent[0]
    interval = interval_for(ctx.rep, ctx.day)
    unwritten = [
        period
        for period in expected_periods(interval, ctx.day, last.period_start, last.period_end)
        if period.due_on <= ctx.day
    ]
    if unwritten:
        period = unwritten[-1]
        return [_report_item(None, period.start, period.end, period.due_on)]
    due = next((report for report in recent if report.due_on <= ctx.day), None)
    if due is None:
        return []
    return [_report_item(due, due.period_start, due.period_end, due.due_on)]


def _report_item(report, start: dt.date, end: dt.date, due: dt.date) -> dict[str, Any]:
    return {
        "id": report.pk if report else None,
        "period_start": _day(start),
        "period_end": _day(end),
        "due_on": _day(due),
        "submitted": report is not None and report.submitted_at is not None,
        "results": report.results if report else "",
        "coached_on": report.coached_on if report else "",
        "changed": report.changed if report else "",
        "next_steps": report.next_steps if report else "",
    }


def stale_deals(ctx: AgendaContext) -> list[dict[str, Any]]:
    """Open deals with no activity for the team's stale days, or a close date in the past."""
    stale_before = ctx.until - dt.timedelta(days=ctx.settings.stale_days or 0)
    deals = list(
        Deal.objects.filter(organisation=ctx.org, owner=ctx.rep, outcome=Outcome.OPEN).order_by(
            "close_on", "pk"
        )
    )
    # Apart, through the activities' deal index: a join grouped over every activity, or
    # a sorted lookup per deal, took seconds on a large organisation.
    last = dict(
        Activity.objects.filter(deal_id__in=[d.pk for d in deals])
        .values("deal_id")
        .annotate(last=Max("occurred_on"))
        .values_list("deal_id", "last")
    )
    rows = []
    for d in deals:
        seen = last.get(d.pk)
        stale = seen is None or seen < stale_before
        past_close = d.close_on is not None and d.close_on < ctx.until
        if stale or past_close:
            rows.append(
                {
                    "id": d.pk,
                    "text": str(d),
                    "stage": d.stage,
                    "amount": _text(d.amount),
                    "close_on": _day(d.close_on),
                    "last_activity": _day(seen),
                    "stale": stale,
                    "past_close": past_close,
                }
            )
    return rows


def problems(ctx: AgendaContext) -> list[dict[str, Any]]:
    """Open problems the rep raised ("I'm stuck"): raising early is good practice."""
    rows = (
        Problem.objects.filter(rep=ctx.rep, status=ProblemStatus.OPEN)
        .select_related("deal", "goal")
        .order_by("raised_at", "pk")
    )
    return [
        {
            "id": p.pk,
            "text": p.text,
            "raised_at": p.raised_at.isoformat(),
            "deal": str(p.deal) if p.deal_id else "",
            "deal_id": p.deal_id,
        }
        for p in rows
    ]


def items(ctx: AgendaContext) -> list[dict[str, Any]]:
    """What either side added to this meeting."""
    rows = AgendaItem.objects.filter(meeting_id=ctx.meeting.pk).select_related("added_by")
    return [
        {
            "id": i.pk,
            "text": i.text,
            "by": i.added_by.name,
            "by_id": i.added_by_id,
            "done": i.done,
        }
        for i in rows
    ]


def reviewed_deal(ctx: AgendaContext) -> list[dict[str, Any]]:
    """A deal review's deal: its facts, stage history, changes and latest activities."""
    deal_id = ctx.meeting.deal_id
    if deal_id is None:
        return []
    deal = Deal.objects.filter(pk=deal_id).select_related("account", "product").first()
    if deal is None:
        return []
    stages = DealStageChange.objects.filter(deal_id=deal_id).order_by("changed_at")
    changes = DealChange.objects.filter(deal_id=deal_id).order_by("changed_at")
    activities = Activity.objects.filter(deal_id=deal_id).order_by("-occurred_at")
    return [
        {
            "id": deal.pk,
            "text": str(deal),
            "account": str(deal.account) if deal.account_id else "",
            "product": str(deal.product) if deal.product_id else "",
            "stage": deal.stage,
            "outcome": deal.outcome,
            "amount": _text(deal.amount),
            "created_on": _day(deal.created_on),
            "close_on": _day(deal.close_on),
            "next_step": deal.next_step,
            "stages": [
                {"from": s.from_stage, "to": s.to_stage, "on": _day(s.changed_on)} for s in stages
            ],
            "changes": [
                {
                    "field": c.field,
                    "old": c.old_value,
                    "new": c.new_value,
                    "on": c.changed_at.date().isoformat(),
                }
                for c in changes
            ],
            "activities": [
                {"type": a.type, "subject": a.subject, "on": _day(a.occurred_on)}
                for a in activities[:REVIEW_ACTIVITIES]
            ],
        }
    ]


T = "coaching/meetings/sections/"
register_section(
    "deal",
    _("The deal"),
    5,
    reviewed_deal,
    kinds=(MeetingKind.DEAL_REVIEW,),
    template=T + "deal.html",
)
register_section("kpis", _("Numbers since the last 1:1"), 10, kpis, template=T + "kpis.html")
register_section(
    "commitments",
    _("Commitments due"),
    20,
    commitments,
    kinds=BOTH,
    template=T + "commitments.html",
)
register_section(
    "self_report", _("Latest self-report"), 30, self_report, template=T + "self_report.html"
)
register_section("deals", _("Deals to look at"), 40, stale_deals, template=T + "deals.html")
register_section(
    "problems", _("Problems raised"), 50, problems, kinds=BOTH, template=T + "problems.html"
)
register_section(
    "items", _("Added by either side"), 60, items, kinds=BOTH, template=T + "items.html"
)
