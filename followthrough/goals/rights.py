"""Who may set goals for whom, built on people.access (who may see whom).

Managers set goals for their reports, leaders for their subtree, admins for
everyone in the organisation. Nobody sets their own goal, and a team's goal is
set by someone above the team (an admin, or a manager or leader whose own team
it is not). Reps read their own goals and change nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from followthrough.people import access
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person, Role, Team

SETTERS = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def can_set_goals(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in SETTERS


def can_set_person_goal(viewer: Person | None, person: Person) -> bool:
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role in SETTERS and access.manages(viewer, person)


def settable_person_ids(viewer: Person) -> set[int] | None:
    """Ids of the people whose goals `viewer` may set (can_set_person_goal); None: everyone."""
    if viewer.role == Role.ADMIN:
        return None
    if viewer.role not in SETTERS:
        return set()
    return (access.visible_person_ids(viewer) or set()) - {viewer.pk}


def _own_team_id(viewer: Person) -> int | None:
    if not hasattr(viewer, "_own_team_id"):
        line = line_on(viewer, today_for(viewer.organisation))
        viewer._own_team_id = line.team_id if line else None
    return viewer._own_team_id


def settable_teams(viewer: Person) -> QuerySet[Team]:
    """Teams whose goals `viewer` may set."""
    if viewer.role == Role.ADMIN:
        return Team.objects.filter(organisation_id=viewer.organisation_id)
    if viewer.role not in SETTERS:
        return Team.objects.none()
    return access.visible_teams(viewer).exclude(pk=_own_team_id(viewer))


def can_set_team_goal(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    return settable_teams(viewer).filter(pk=team.pk).exists()


def settable_people(viewer: Person) -> QuerySet[Person]:
    """People whose goals `viewer` may set."""
    people = Person.objects.filter(organisation_id=viewer.organisation_id, is_active=True)
    if viewer.role == Role.ADMIN:
        return people
    if viewer.role not in SETTERS:
        return people.none()
    return access.visible_people(viewer).filter(is_active=True).exclude(pk=viewer.pk)


def visible_goals_filter(viewer: Person) -> Q:
    """Goals `viewer` may read: of the people they see and the teams they see."""
    ids = access.visible_person_ids(viewer)
    if ids is None:
        return Q(organisation_id=viewer.organisation_id)
    teams = access.visible_teams(viewer).values("pk")
    return Q(organisation_id=viewer.organisation_id) & (Q(person_id__in=ids) | Q(team_id__in=teams))


def can_change_goal(viewer: Person | None, goal) -> bool:
    if goal.person_id:
        return can_set_person_goal(viewer, goal.person)
    return can_set_team_goal(viewer, goal.team)
