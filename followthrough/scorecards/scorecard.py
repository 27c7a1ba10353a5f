"""A person's scorecard: each KPI with actual, target, attainment, pace, trend, baseline
and the team's median. One constant set of queries, whatever the number of metrics
and periods (see build_scorecard).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from followthrough.goals.attainment import Pace, attainment, elapsed, pace
from followthrough.goals.targets import TargetBook, load_targets, settings_for
from followthrough.lib.periods import Period, last_periods
from followthrough.metrics import engine
from followthrough.people.lines import line_on, lines_on, today_for
from followthrough.people.models import Person, Team
from followthrough.scorecards.figures import ADDITIVE, baseline, median

TREND_LENGTH = 12
BASELINE_LENGTH = 3
# Shown when the organisation has not chosen its scorecard metrics: outcomes first.
DEFAULT_METRICS = (
    "deals_won",
    "revenue_won",
    "win_rate",
    "avg_deal_size",
    "deals_created",
    "pipeline_created",
    "first_meetings_held",
    "activities",
    "sales_cycle_days",
)


@dataclass(frozen=True)
class TrendPoint:
    """One period of a KPI's trend."""

    period: Period
    value: Decimal | None
    target: Decimal | None
    team_median: Decimal | None


@dataclass(frozen=True)
class Kpi:
    """One metric on a scorecard."""

    metric: object  # followthrough.metrics.models.Metric
    actual: engine.Value
    target: Decimal | None
    attainment: Decimal | None
    pace: Pace
    baseline: Decimal | None
    team_median: Decimal | None
    trend: tuple[TrendPoint, ...]
    # How many deals of the figure count only a share (pair selling: docs/metrics.md).
    shared: int = 0

    @property
    def key(self) -> str:
        return self.metric.key


@dataclass(frozen=True)
class Scorecard:
    """Everything a scorecard page shows for one person and period."""

    person: Person
    period: Period
    today: dt.date
    elapsed: Fraction
    team: Team | None
    team_size: int
    kpis: tuple[Kpi, ...]


def scorecard_metrics(catalog: dict, chosen: list[str], book: TargetBook, person_id: int) -> list:
    """The organisation's chosen metrics (else the defaults), then any with a goal."""
    keys = [k for k in (chosen or DEFAULT_METRICS) if k in catalog]
    keys += sorted(k for k in book.keys_with_goals(person_id) if k in catalog and k not in keys)
    return [catalog[k] for k in keys]


def build_scorecard(person: Person, period: Period, *, today: dt.date | None = None) -> Scorecard:
    """The scorecard of `person` for `period`: about ten queries, however many KPIs."""
    org = person.organisation
    today = today or today_for(org)
    periods = last_periods(period, TREND_LENGTH)
    line = line_on(person, min(today, period.end))
    team = line.team if line else None
    peers = [person]
    if team is not None:
        member_ids = lines_on(org, min(today, period.end)).filter(team=team).values("person_id")
        peers = list(
            Person.objects.filter(pk__in=member_ids, role=person.role, is_active=True)
            .exclude(pk=person.pk)
            .only("pk")
        ) + [person]
    settings = settings_for(org)
    book = load_targets(
        org,
        None,
        periods[0].start,
        periods[-1].end,
        person_ids=[person.pk],
        org_shares=settings.ramp_shares,
    )
    catalog = engine.get_metrics(org)
    metrics = scorecard_metrics(catalog, settings.scorecard_metrics, book, person.pk)
    results = engine.compute(org, [m.key for m in metrics], periods, [p.pk for p in peers])
    share = elapsed(period, today)
    kpis = []
    for metric in metrics:
        additive = str(metric.kind) in ADDITIVE
        trend = []
        for each in periods:
            team_median = None
            if team is not None:
                team_median = median(results.get(p.pk, metric.key, each).value for p in peers)
            trend.append(
                TrendPoint(
                    each,
                    results.get(person.pk, metric.key, each).value,
                    book.person_target(person, metric.key, each, additive=additive),
                    team_median,
                )
            )
        now = results.get(person.pk, metric.key, period)
        target = trend[-1].target
        kpis.append(
            Kpi(
                metric=metric,
                actual=now,
                target=target,
                attainment=attainment(now.value, target, higher_is_better=metric.higher_is_better),
                pace=pace(
                    now.value,
                    target,
                    share,
                    accumulates=additive,
                    higher_is_better=metric.higher_is_better,
                ),
                baseline=baseline([p.value for p in trend[-1 - BASELINE_LENGTH : -1]]),
                team_median=trend[-1].team_median,
                trend=tuple(trend),
                shared=results.shared(person.pk, metric.key, period),
            )
        )
    return Scorecard(person, period, today, share, team, len(peers), tuple(kpis))
