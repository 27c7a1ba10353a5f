"""Read-side queries for people pages: rosters and team trees, set-based."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, ReportingLine, Team


@dataclass
class RosterRow:
    person: Person
    line: ReportingLine | None
    direct: bool


def roster(people: QuerySet[Person], org: Organisation, day: dt.date, manager_id: int | None):
    """People with the reporting line in force on `day`, in two queries whatever the count."""
    people = list(people.order_by("name"))
    lines = {
        line.person_id: line
        for line in lines_on(org, day)
        .filter(person_id__in=[p.pk for p in people])
        .select_related("manager", "team")
    }
    return [
        RosterRow(
            person=p,
            line=lines.get(p.pk),
            direct=manager_id is not None
            and lines.get(p.pk) is not None
            and lines[p.pk].manager_id == manager_id,
        )
        for p in people
    ]


@dataclass
class TeamNode:
    team: Team
    members: int
    children: list[TeamNode] = field(default_factory=list)
    depth: int = 0


def team_tree(teams: QuerySet[Team], org: Organisation, day: dt.date) -> list[TeamNode]:
    """Visible teams as a forest, each with its head count on `day`; two queries."""
    teams = list(teams.order_by("name"))
    counts = Counter(
        lines_on(org, day)
        .filter(team_id__in=[t.pk for t in teams], person__is_active=True)
        .values_list("team_id", flat=True)
    )
    nodes = {t.pk: TeamNode(team=t, members=counts.get(t.pk, 0)) for t in teams}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.team.parent_id)
        (parent.children if parent else roots).append(node)

    def flatten(items: list[TeamNode], depth: int) -> list[TeamNode]:
        out = []
        for node in items:
            node.depth = depth
            out.append(node)
            out.extend(flatten(node.children, depth + 1))
        return out

    return flatten(roots, 0)
