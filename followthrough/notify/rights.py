"""Who may set a team's chat channel: its managers and leaders above it, and admins."""

from __future__ import annotations

from followthrough.people import access
from followthrough.people.models import Person, Role, Team


def can_set_chat(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role in (Role.MANAGER, Role.LEADER) and access.can_view_team(viewer, team)


def chat_teams(viewer: Person):
    """The teams whose chat channel `viewer` may set."""
    if viewer.role == Role.ADMIN:
        return Team.objects.filter(organisation_id=viewer.organisation_id).order_by("name")
    if viewer.role not in (Role.MANAGER, Role.LEADER):
        return Team.objects.none()
    return access.visible_teams(viewer).order_by("name")
