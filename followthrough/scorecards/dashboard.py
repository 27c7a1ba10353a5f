"""A team dashboard: people × chosen metrics for one period, with targets, pace and totals.

The same set-based queries for 3 people or 300 (see build_dashboard). The rows are
the people of the team and its sub-teams during the period whom the viewer may see;
the total is the team's own figure (each person for the days they were on it), the
same for every viewer who may see the team. Leaders and admins also get a summary:
a leader their subtree's totals, an admin the organisation's, ownerless facts
included and shown apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from followthrough.goals.attainment import Pace, attainment, elapsed, pace
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import Period
from followthrough.metrics import engine, totals
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role, Team
from followthrough.scorecards.figures import ADDITIVE, total

SORT_NAME = "name"


@dataclass(frozen=True)
class Cell:
    """One figure on the dashboard, with its target and pace."""

    metric: object  # followthrough.metrics.models.Metric
    value: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    pace: Pace
    rolled_up: bool = False

    @property
    def behind(self) -> bool:
        return self.pace.behind


@dataclass(frozen=True)
class Row:
    """One person's line on the dashboard."""

    person: Person
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Summary:
    """Totals above the team: a leader's subtree, or (for admins) the whole organisation."""

    organisation: bool  # True: the whole organisation, ownerless facts included
    values: tuple[Decimal | None, ...]
    unassigned: tuple[Decimal | None, ...] = ()  # facts without an owner (admins only)


@dataclass(frozen=True)
class Dashboard:
    """Everything the team dashboard and its exports show."""

    team: Team
    period: Period
    today: dt.date
    elapsed: Fraction
    metrics: tuple
    rows: tuple[Row, ...]
    totals: tuple[Cell, ...]
    sort: str
    descending: bool
    summary: Summary | None = None

    @property
    def behind(self) -> list[tuple[Person, Cell]]:
        """Who is behind pace on what: the list a manager acts on."""
        return [(row.person, cell) for row in self.rows for cell in row.cells if cell.behind]


def _cell(metric, value, target, share, rolled_up=False) -> Cell:
    additive = str(metric.kind) in ADDITIVE
    better = metric.higher_is_better
    return Cell(
        metric,
        value,
        target,
        attainment(value, target, higher_is_better=better),
        pace(value, target, share, accumulates=additive, higher_is_better=better),
        rolled_up,
    )


def _sorted(rows: list[Row], keys: list[str], sort: str, descending: bool) -> list[Row]:
    if sort not in keys:
        return sorted(rows, key=lambda r: r.person.name.lower(), reverse=descending)
    index = keys.index(sort)
    present = [r for r in rows if r.cells[index].value is not None]
    missing = [r for r in rows if r.cells[index].value is None]
    present.sort(key=lambda r: (r.cells[index].value, r.person.name.lower()), reverse=descending)
    # People without a figure go last whichever way the column is sorted.
    return present + sorted(missing, key=lambda r: r.person.name.lower())


def build_dashboard(
    viewer: Person,
    team: Team,
    metric_keys: list[str],
    period: Period,
    *,
    today: dt.date | None = None,
    sort: str = SORT_NAME,
    descending: bool = False,
) -> Dashboard:
    """The dashboard of `team` for `period` as `viewer` may see it; unknown keys are dropped."""
    org = viewer.organisation
    today = today or today_for(org)
    catalog = engine.get_metrics(org)
    metrics = [catalog[k] for k in dict.fromkeys(metric_keys) if k in catalog]
    keys = [m.key for m in metrics]
    members = totals.members_during(org, period, [team.pk]).get(team.pk, set())
    visible = access.visible_person_ids(viewer)
    member_ids = set(members) if visible is None else members & visible
    member_ids.discard(viewer.pk)
    # Everyone of the period, seen or not: the team's summed target is the same for all viewers.
    everyone = list(
        Person.objects.filter(pk__in=members, organisation=org).only(
            "pk", "name", "role", "role_since", "organisation_id", "is_active"
        )
    )
    people = [p for p in everyone if p.pk in member_ids]
    ids = [p.pk for p in people]
    book = load_targets(
        org, keys, period.start, period.end, person_ids=sorted(members), team_ids=[team.pk]
    )
    results = engine.compute(org, keys, [period], ids) if ids and keys else None
    share = elapsed(period, today)
    rows = []
    for person in people:
        cells = []
        for metric in metrics:
            additive = str(metric.kind) in ADDITIVE
            value = results.get(person.pk, metric.key, period).value if results else None
            target = book.person_target(person, metric.key, period, additive=additive)
            cells.append(_cell(metric, value, target, share))
        rows.append(Row(person, tuple(cells)))
    team_figures = totals.compute_teams(org, keys, [period], [team.pk]) if keys else None
    sums = []
    for metric in metrics:
        additive = str(metric.kind) in ADDITIVE
        team_target = book.team_target(team.pk, metric.key, period, everyone, additive=additive)
        value = team_figures.get(team.pk, metric.key, period).value if team_figures else None
        sums.append(_cell(metric, value, team_target.value, share, team_target.rolled_up))
    return Dashboard(
        team=team,
        period=period,
        today=today,
        elapsed=share,
        metrics=tuple(metrics),
        rows=tuple(_sorted(rows, keys, sort, descending)),
        totals=tuple(sums),
        sort=sort if sort in keys else SORT_NAME,
        descending=descending,
        summary=summary_for(viewer, metrics, period, visible),
    )


def summary_for(viewer: Person, metrics: list, period: Period, visible) -> Summary | None:
    """Admins: the organisation's figures and the ownerless part; leaders: their subtree's."""
    keys = [m.key for m in metrics]
    if not keys or viewer.role not in (Role.ADMIN, Role.LEADER):
        return None
    org = viewer.organisation
    if visible is None:
        results = totals.compute_organisation(org, keys, [period])
        return Summary(
            organisation=True,
            values=tuple(results.get(totals.ORGANISATION, k, period).value for k in keys),
            unassigned=tuple(results.get(totals.UNASSIGNED, k, period).value for k in keys),
        )
    results = engine.compute(org, keys, [period], sorted(visible))
    values = []
    for metric in metrics:
        figures = [results.get(pk, metric.key, period) for pk in visible]
        values.append(total(str(metric.kind), metric.scale, figures))
    return Summary(organisation=False, values=tuple(values))
