"""The demo organisation's goals: monthly targets for every account executive.

Targets are sized from the demo's own sales: a KPI's monthly target is what the
typical (median) fully ramped account executive did per month over the demo's
data, scaled by the generator's season (less in August and at Christmas). So
about half the steady reps beat each target, the strong prospector beats the
activity targets, and the January stopper and the cold e-mailer fall behind.
Each rep's manager sets them (the audit history says so); new hires get the
organisation's ramp like any goal with the default ramp.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from followthrough.audit.context import acting_as
from followthrough.crm.demo.profiles import season
from followthrough.goals.catalog import is_additive, metrics_of
from followthrough.goals.models import Goal, PeriodKindChoice, RampChoice
from followthrough.lib.periods import Period, PeriodKind, months_in, period_of
from followthrough.metrics import engine
from followthrough.people.models import Organisation, Person

# The KPIs the scorecard shows first, and the step each target is rounded to.
DEMO_GOAL_METRICS = {
    "deals_won": Decimal(1),
    "revenue_won": Decimal(1000),
    "win_rate": Decimal("0.01"),
    "deals_created": Decimal(1),
    "pipeline_created": Decimal(5000),
    "first_meetings_held": Decimal(1),
    "activities": Decimal(10),
}
DAYS_PER_MONTH = Decimal("30.4375")  # 365.25 / 12
NOTE = "Monthly target for the demo"


def _rounded(value: Decimal, step: Decimal) -> Decimal:
    """To the nearest step, and never below one step (a target of 0 would mean nothing)."""
    steps = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(steps, Decimal(1)) * step


def season_share(month: Period) -> Decimal:
    """The generator's mean selling effort over the month's days (1 = a normal month)."""
    days = [month.start + dt.timedelta(days=n) for n in range(month.days)]
    return sum((Decimal(str(season(day))) for day in days), start=Decimal(0)) / len(days)


def monthly_norms(
    org: Organisation, people: Iterable[Person], first: dt.date, last: dt.date
) -> dict[str, Decimal]:
    """Per KPI, the median rep's figure per normal month (rates: over the whole span)."""
    people = list(people)
    span = Period(first, last)
    metrics = metrics_of(org)
    keys = [key for key in DEMO_GOAL_METRICS if key in metrics]
    results = engine.compute(org, keys, [span], [p.pk for p in people])
    effort = sum((season_share(m) * m.days for m in months_in(span)), start=Decimal(0)) / Decimal(
        span.days
    )
    norms = {}
    for key in keys:
        values = [results.get(p.pk, key, span).value for p in people]
        values = [v for v in values if v is not None]
        if not values:
            continue
        typical = Decimal(statistics.median(values))
        if is_additive(metrics[key]):
            typical = typical / span.days * DAYS_PER_MONTH / effort
        norms[key] = typical
    return norms


def set_demo_goals(
    org: Organisation,
    reps: dict[Person, Person],
    *,
    norm_reps: Iterable[Person],
    first: dt.date,
    today: dt.date,
) -> int:
    """Monthly goals for each rep (mapped to the manager who sets them); returns how many.

    The norms come from `norm_reps` (fully ramped reps) over the data, from
    `first` to yesterday. The goals cover every month the data fully covers,
    and the current one.
    """
    last = today - dt.timedelta(days=1)
    norms = monthly_norms(org, norm_reps, first, max(first, last))
    metrics = metrics_of(org)
    months = [period_of(PeriodKind.MONTH, m.start) for m in months_in(Period(first, today))]
    months = [m for m in months if m.start >= first or today in m]
    created = 0
    by_manager: dict[Person, list[Person]] = {}
    for rep, manager in reps.items():
        by_manager.setdefault(manager, []).append(rep)
    for manager, team in by_manager.items():
        # Saved one by one, not in bulk, so each goal gets its audit entry.
        with acting_as(user=manager.user):
            for month in months:
                share = season_share(month)
                for key, norm in norms.items():
                    step = DEMO_GOAL_METRICS[key]
                    target = _rounded(norm * share if is_additive(metrics[key]) else norm, step)
                    for rep in team:
                        Goal.objects.create(
                            organisation=org,
                            person=rep,
                            metric_key=key,
                            period_kind=PeriodKindChoice.MONTH,
                            start=month.start,
                            end=month.end,
                            target=target,
                            ramp=RampChoice.ORGANISATION,
                            note=NOTE,
                        )
                        created += 1
    return created
