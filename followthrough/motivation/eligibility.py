"""Who plays in a contest: by role, team (with its sub-teams) and days in role.

Eligibility is judged on the contest's first day, so the field is known when the
rules are announced: a rep who joins the team mid-contest plays in the next one.
Two queries for any number of people: the team tree and the reporting lines in force.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from followthrough.people.lines import in_force
from followthrough.people.models import Organisation, Person, ReportingLine, Team


@dataclass(frozen=True)
class Field:
    """The people who play, and the team each was in on the first day."""

    people: list[Person]
    team_of: dict[int, int | None]
    team_names: dict[int, str]


def subtree(org_id: int, team_id: int) -> set[int]:
    """The team and every team under it, from one query."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Team.objects.filter(organisation_id=org_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [team_id]
    while stack:
        current = stack.pop()
        if current in found:
            continue  # a cycle in bad data must not loop forever
        found.add(current)
        stack.extend(children.get(current, ()))
    return found


def tenure_ok(person: Person, day: dt.date, min_days: int) -> bool:
    if not min_days:
        return True
    return person.role_since is not None and (day - person.role_since).days >= min_days


def eligible_people(
    org: Organisation,
    *,
    roles: Iterable[str],
    team_id: int | None,
    min_tenure_days: int,
    on: dt.date,
) -> Field:
    """Everyone the rules admit on `on` (active people only)."""
    teams = subtree(org.pk, team_id) if team_id else None
    people = Person.objects.filter(organisation=org, is_active=True, role__in=list(roles))
    lines = ReportingLine.objects.filter(in_force(on), organisation=org).order_by()
    team_of = dict(lines.values_list("person_id", "team_id"))
    chosen = [
        p
        for p in people.order_by("name", "pk")
        if tenure_ok(p, on, min_tenure_days) and (teams is None or team_of.get(p.pk) in teams)
    ]
    used = {team_of.get(p.pk) for p in chosen} - {None}
    names = dict(Team.objects.filter(pk__in=used).values_list("pk", "name")) if used else {}
    return Field(chosen, {p.pk: team_of.get(p.pk) for p in chosen}, names)


def field_of(contest) -> Field:
    return eligible_people(
        contest.organisation,
        roles=contest.eligible_roles or (),
        team_id=contest.eligible_team_id,
        min_tenure_days=contest.min_tenure_days,
        on=contest.start,
    )


def eligible_contest_ids(person: Person, contests: Iterable) -> set[int]:
    """Which of `contests` admit `person`: two queries whatever the number of contests."""
    contests = list(contests)
    if not contests:
        return set()
    parents = dict(
        Team.objects.filter(organisation_id=person.organisation_id).values_list("pk", "parent_id")
    )
    lines = list(
        ReportingLine.objects.filter(person=person).values_list("valid_from", "valid_to", "team_id")
    )

    def team_on(day: dt.date) -> int | None:
        for first, last, team in lines:
            if first <= day and (last is None or day <= last):
                return team
        return None

    def under(team: int | None, top: int) -> bool:
        seen = set()
        while team is not None and team not in seen:
            if team == top:
                return True
            seen.add(team)
            team = parents.get(team)
        return False

    found = set()
    for contest in contests:
        if person.role not in (contest.eligible_roles or ()):
            continue
        if not tenure_ok(person, contest.start, contest.min_tenure_days):
            continue
        if contest.eligible_team_id and not under(team_on(contest.start), contest.eligible_team_id):
            continue
        found.add(contest.pk)
    return found
