"""What the hiring forecast measures from the data, for many teams at once.

- Sellers: the active reps in the team (and its sub-teams) today.
- Productivity at full ramp: the median, over the team's ramped sellers, of their mean
  monthly figure over the last six complete months. Ramped: in their job for more than
  the ramp's months before those six began. A ramped rep whose figure was zero all six
  months does not carry the metric (an SDR books meetings, wins no revenue) and is left
  out, of the median and of the headcount.
- Ramp: from the programs first (the median time to ramp of the team's people who
  completed their onboarding program, in months, rounded up), else from the metrics
  (people hired within the last twelve months: the median share of full productivity
  they reached in each month of tenure; ramped from the first month at 80 % or more,
  given two hires or more in that month), else the organisation's ramp for new hires
  (goal settings), which is an assumption, not a measure.
- Attrition: of the sellers in the team at any day of the last twelve months, those who
  are no longer in it today (they left, or moved to a team outside this one) or were
  deactivated, over the average headcount of the twelve month starts and today.
  A move between two sub-teams is no loss for the region above them.
- Last year's figure: the team's figure over the last twelve complete months (people
  counted for the days they were in the team, metrics/totals.py).
- Next year's goals: the team's own goals for each month of the year, else its members'
  summed (goals/targets.py); used only when every month has one.

Query budget, whatever the number of teams and people: the teams and today's lines (2),
the people (1), one engine computation of the sellers' months, one team computation, the
lines of the last year (1), time to ramp (3), goal settings and goals (2).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from followthrough.diagnostics import history
from followthrough.goals.targets import load_targets, settings_for
from followthrough.lib.periods import Period, PeriodKind, add_months, last_periods, period_of
from followthrough.metrics.totals import _ancestors, compute_teams, team_members
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team
from followthrough.programs.progress import time_to_ramp

ZERO = Decimal(0)
HISTORY_MONTHS = 12  # the window every measure reads
PRODUCTIVITY_MONTHS = 6  # trailing months of a ramped rep's productivity
RAMPED_SHARE = Decimal("0.8")  # a hire is ramped from the first month at 80 % of full
MIN_HIRES = 2  # hires needed in a tenure month before its share counts
DAYS_PER_MONTH = Decimal("30.44")
CENT, TENTH = Decimal("0.01"), Decimal("0.1")


@dataclass
class Measured:
    """One team's measured values; None where the data cannot tell."""

    team: Team
    sellers: list[Person] = field(default_factory=list)
    productivity: Decimal | None = None
    productivity_reps: int = 0
    ramp_months: int | None = None
    ramp_from: str = ""  # "programs", "metrics", "goals" (the organisation's ramp)
    ramp_people: int = 0
    attrition: Decimal | None = None
    leavers: int = 0
    average_headcount: Decimal = ZERO
    last_year: Decimal | None = None
    goal_targets: list[Decimal] | None = None  # one per month of the year, when all are set


def complete_months(today: dt.date, count: int) -> list[Period]:
    """The `count` calendar months before the month of `today`, oldest first."""
    last = period_of(PeriodKind.MONTH, add_months(today, -1))
    return last_periods(last, count)


def tenure_month(start: dt.date | None, month: Period) -> int | None:
    if start is None:
        return None
    return (month.start.year - start.year) * 12 + month.start.month - start.month + 1


def _median(values: Sequence[Decimal]) -> Decimal | None:
    return Decimal(statistics.median(values)) if values else None


def measure(
    org: Organisation,
    teams: Sequence[Team],
    year: int,
    today: dt.date,
    metric_key: str,
    ramp_guess: dict[int, int | None] | None = None,
) -> dict[int, Measured]:
    """Team id -> what the data says about it (see the module docstring for the budget).

    `ramp_guess`: team id -> the ramp in months the user set, used to tell who is ramped.
    """
    team_ids = [t.pk for t in teams]
    members = team_members(org, today, team_ids)
    everyone = set().union(*members.values()) if members else set()
    people = {
        p.pk: p
        for p in Person.objects.filter(
            organisation=org, pk__in=everyone, role=Role.REP, is_active=True
        )
    }
    months = complete_months(today, HISTORY_MONTHS)
    monthly = history.monthly(org, list(people), months, keys=(metric_key,))
    goal_shares = list(settings_for(org).ramp_shares)
    by_team_ramp = _programs_ramp(org, members, people, today)

    result: dict[int, Measured] = {}
    trailing = months[-PRODUCTIVITY_MONTHS:]
    for team in teams:
        found = Measured(team)
        ids = sorted(members.get(team.pk, set()) & set(people), key=lambda i: people[i].name)
        guess = (ramp_guess or {}).get(team.pk)
        program_ramp, program_people = by_team_ramp.get(team.pk, (None, 0))
        ramp = guess or program_ramp or len(goal_shares) or 0
        means, carriers = [], []
        for person_id in ids:
            person = people[person_id]
            series = monthly.series(person_id, metric_key)[-PRODUCTIVITY_MONTHS:]
            tenure = tenure_month(person.role_since, trailing[0])
            ramped = tenure is None or tenure > ramp
            if ramped and not any(series):
                continue  # does not carry this metric
            carriers.append(person)
            if ramped:
                means.append(sum(series, ZERO) / len(series))
        found.sellers = carriers
        median = _median(means)
        found.productivity = None if median is None else median.quantize(CENT)
        found.productivity_reps = len(means)
        if program_ramp:
            found.ramp_months, found.ramp_from, found.ramp_people = (
                program_ramp,
                "programs",
                program_people,
            )
        else:
            measured, hires = _metrics_ramp(
                carriers, monthly, months, metric_key, found.productivity
            )
            if measured:
                found.ramp_months, found.ramp_from, found.ramp_people = measured, "metrics", hires
            elif goal_shares:
                found.ramp_months, found.ramp_from = len(goal_shares), "goals"
        result[team.pk] = found

    _attrition(org, teams, members, today, result)
    _last_year(org, teams, months, metric_key, result)
    _goals(org, teams, year, metric_key, members, people, goal_shares, result)
    return result


def _programs_ramp(
    org: Organisation, members: dict[int, set[int]], people: dict[int, Person], today: dt.date
) -> dict[int, tuple[int, int]]:
    """Team id -> (median months to ramp of its people ramped through a program, how many)."""
    days_of: dict[int, list[int]] = defaultdict(list)
    for cohort in time_to_ramp(org, person_ids=list(people), today=today):
        for ramp in cohort.ramped:
            days_of[ramp.enrolment.person_id].append(ramp.days)
    result = {}
    for team_id, ids in members.items():
        days = [d for person_id in ids for d in days_of.get(person_id, [])]
        if days:
            months = math.ceil(Decimal(statistics.median(days)) / DAYS_PER_MONTH)
            result[team_id] = (max(1, months), len(days))
    return result


def _metrics_ramp(
    sellers: Sequence[Person],
    monthly: history.Monthly,
    months: Sequence[Period],
    metric_key: str,
    productivity: Decimal | None,
) -> tuple[int | None, int]:
    """(months to ramp from the hires of the window, how many hires), or (None, hires)."""
    if not productivity:
        return None, 0
    hires = [p for p in sellers if p.role_since and p.role_since >= months[0].start]
    shares: dict[int, list[Decimal]] = defaultdict(list)
    for person in hires:
        series = monthly.series(person.pk, metric_key)
        for month, value in zip(months, series, strict=True):
            tenure = tenure_month(person.role_since, month)
            if tenure and tenure > 0:
                shares[tenure].append(value / productivity)
    for tenure in sorted(shares):
        found = shares[tenure]
        if len(found) >= MIN_HIRES and _median(found) >= RAMPED_SHARE:
            return max(1, tenure - 1), len(hires)
    return None, len(hires)


def _attrition(
    org: Organisation,
    teams: Sequence[Team],
    members: dict[int, set[int]],
    today: dt.date,
    result: dict[int, Measured],
) -> None:
    start = add_months(today, -HISTORY_MONTHS)
    overlapping = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    rows = ReportingLine.objects.filter(
        overlapping, organisation=org, team__isnull=False, person__role=Role.REP
    ).values_list("person_id", "team_id", "valid_from", "valid_to", "person__is_active")
    chains = _ancestors(org)
    snapshots = [add_months(start, k) for k in range(HISTORY_MONTHS)] + [today]
    seen: dict[int, set[int]] = defaultdict(set)  # team id -> people in it during the year
    inactive: set[int] = set()
    heads: dict[int, list[int]] = {t.pk: [0] * len(snapshots) for t in teams}
    spans: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
    for person_id, team_id, first, last, active in rows:
        if not active:
            inactive.add(person_id)
        for node in chains.get(team_id, ()):
            if node in heads:
                seen[node].add(person_id)
                spans[node].append((person_id, first, last or dt.date.max))
    for team in teams:
        counts = heads[team.pk]
        for index, day in enumerate(snapshots):
            counts[index] = len(
                {
                    p
                    for p, first, last in spans[team.pk]
                    if first <= day <= last and not (day == today and p in inactive)
                }
            )
        found = result[team.pk]
        now = members.get(team.pk, set())
        found.leavers = len({p for p in seen[team.pk] if p not in now or p in inactive})
        average = Decimal(sum(counts)) / len(counts)
        found.average_headcount = average.quantize(TENTH)
        if average >= 1:
            found.attrition = (Decimal(100) * found.leavers / average).quantize(TENTH)


def _last_year(
    org: Organisation,
    teams: Sequence[Team],
    months: Sequence[Period],
    metric_key: str,
    result: dict[int, Measured],
) -> None:
    figures = compute_teams(org, [metric_key], months, [t.pk for t in teams])
    for team in teams:
        values = [figures.get(team.pk, metric_key, month).value for month in months]
        known = [Decimal(v) for v in values if v is not None]
        result[team.pk].last_year = sum(known, ZERO) if known else None


def _goals(
    org: Organisation,
    teams: Sequence[Team],
    year: int,
    metric_key: str,
    members: dict[int, set[int]],
    people: dict[int, Person],
    goal_shares: list[int],
    result: dict[int, Measured],
) -> None:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    book = load_targets(
        org,
        [metric_key],
        first,
        last,
        person_ids=list(people),
        team_ids=[t.pk for t in teams],
        org_shares=goal_shares,
    )
    months = [period_of(PeriodKind.MONTH, add_months(first, k)) for k in range(12)]
    for team in teams:
        crew = [people[i] for i in members.get(team.pk, set()) if i in people]
        targets = [book.team_target(team.pk, metric_key, month, crew).value for month in months]
        if all(t is not None for t in targets):
            result[team.pk].goal_targets = [Decimal(t) for t in targets]
