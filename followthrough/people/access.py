"""Who may see or change what. Views, API and exports all ask here.

The rules: nothing crosses organisations; an admin sees the whole organisation;
everyone else sees themselves and the people reporting to them, directly or
through others (so a manager sees their team, a leader their whole subtree).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet

from followthrough.people.lines import reports_of
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team

# Model -> function giving the person whose data an object is (see register_owner).
_owners: dict[type[Model], Callable[[Any], Person | None]] = {}


def person_of(user: Any) -> Person | None:
    """The active Person behind a logged-in user, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    person = getattr(user, "person", None)
    if person is None or not person.is_active:
        return None
    return person


def _report_ids(viewer: Person) -> set[int]:
    # Cached on the instance: one query per request, however many checks.
    if not hasattr(viewer, "_report_ids"):
        viewer._report_ids = reports_of(viewer)
    return viewer._report_ids


def visible_person_ids(viewer: Person) -> set[int] | None:
    """Ids of the people `viewer` may see; None means the whole organisation."""
    if viewer.role == Role.ADMIN:
        return None
    return _report_ids(viewer) | {viewer.pk}


def visible_people(viewer: Person) -> QuerySet[Person]:
    people = Person.objects.filter(organisation_id=viewer.organisation_id)
    ids = visible_person_ids(viewer)
    return people if ids is None else people.filter(pk__in=ids)


def can_view_person(viewer: Person | None, person: Person) -> bool:
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    ids = visible_person_ids(viewer)
    return ids is None or person.pk in ids


def manages(viewer: Person | None, person: Person) -> bool:
    """True when `person` reports to `viewer`, directly or through others."""
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    return person.pk in _report_ids(viewer)


def can_manage_people(viewer: Person | None, org: Organisation | None = None) -> bool:
    """May create and edit people, teams and reporting lines (admins only)."""
    if viewer is None or viewer.role != Role.ADMIN:
        return False
    return org is None or org.pk == viewer.organisation_id


def visible_teams(viewer: Person) -> QuerySet[Team]:
    """Admins: every team; others: the teams they or their reports are in today,
    and the teams between those and the viewer's own team (a leader's regions
    hold no one directly, yet they are the leader's subtree)."""
    teams = Team.objects.filter(organisation_id=viewer.organisation_id)
    if viewer.role == Role.ADMIN:
        return teams
    from followthrough.people.lines import in_force, today_for

    reports = _report_ids(viewer)
    if viewer.role == Role.REP and not reports:
        return teams.none()
    lines = ReportingLine.objects.filter(
        in_force(today_for(viewer.organisation)), person_id__in=reports | {viewer.pk}
    ).exclude(team=None)
    own, seen = set(), set()
    for person_id, team_id in lines.values_list("person_id", "team_id"):
        (own if person_id == viewer.pk else seen).add(team_id)
    seen |= own
    if own:
        seen |= _teams_between(viewer.organisation_id, own, seen)
    return teams.filter(pk__in=seen)


def _teams_between(org_id: int, tops: set[int], bottoms: set[int]) -> set[int]:
    """Teams on the way up from `bottoms` to one of `tops`, from one query."""
    parents = dict(Team.objects.filter(organisation_id=org_id).values_list("pk", "parent_id"))
    between: set[int] = set()
    for team_id in bottoms:
        path, current = [], parents.get(team_id)
        while current is not None and current not in path and current not in tops:
            path.append(current)
            current = parents.get(current)
        if current in tops:
            between.update(path)
    return between


def can_view_team(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    return visible_teams(viewer).filter(pk=team.pk).exists()


def register_owner(model: type[Model], owner: Callable[[Any], Person | None]) -> None:
    """Declare whose data instances of `model` are, for can_view_object."""
    _owners[model] = owner


register_owner(Person, lambda person: person)
register_owner(ReportingLine, lambda line: line.person)


def can_view_object(viewer: Person | None, obj: Model) -> bool:
    """May `viewer` see `obj` (and so its audit history)?"""
    if viewer is None:
        return False
    if isinstance(obj, Team):
        return can_view_team(viewer, obj)
    if isinstance(obj, Organisation):
        return viewer.role == Role.ADMIN and obj.pk == viewer.organisation_id
    owner = _owners.get(type(obj))
    if owner is None:
        # Unknown kinds of object are admin-only until someone says otherwise.
        org_id = getattr(obj, "organisation_id", None)
        return viewer.role == Role.ADMIN and org_id == viewer.organisation_id
    person = owner(obj)
    return person is not None and can_view_person(viewer, person)
