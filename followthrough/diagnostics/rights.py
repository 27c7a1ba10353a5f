"""Who may see and change the early warnings.

The rules, in plain words:
- The three rights, the projection and the hygiene list of a person are seen by the
  person and everyone who may see them (their line, an admin): a rep sees their own
  (to fix it), a manager their reports', a leader their subtree's.
- Integrity signals are prompts for a private conversation: only the people a rep
  reports to (directly or through others) and an admin see them, never the rep
  themself, nor a peer.
- A team's thresholds are set by its manager, a leader above it or an admin; its
  product-mix target by a leader above it or an admin ("what the company needs now").
- The hiring forecast is for managers, leaders and admins over the teams they see; its
  assumptions are edited by leaders and admins.
- Asking for a recompute of the whole organisation is for admins.
"""

from __future__ import annotations

from followthrough.people import access
from followthrough.people.models import Person, Role, Team

MANAGING = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def can_see_person(viewer: Person | None, person: Person) -> bool:
    """Three rights, projection and hygiene of `person`."""
    return access.can_view_person(viewer, person)


def can_see_integrity(viewer: Person | None, person: Person) -> bool:
    """Integrity signals about `person`: their line and an admin, never the person."""
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    if viewer.pk == person.pk:
        return False
    return viewer.role == Role.ADMIN or access.manages(viewer, person)


def integrity_person_ids(viewer: Person) -> set[int] | None:
    """Whose integrity signals `viewer` sees: None for everyone (admin), else their reports."""
    if viewer.role == Role.ADMIN:
        return None
    ids = access.visible_person_ids(viewer) or set()
    return ids - {viewer.pk}


def sees_integrity(viewer: Person | None) -> bool:
    """Has the page an integrity part for this viewer at all (managers and up)?"""
    return viewer is not None and viewer.role in MANAGING


def can_see_team(viewer: Person | None, team: Team) -> bool:
    return access.can_view_team(viewer, team)


def can_set_thresholds(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role in MANAGING and access.can_view_team(viewer, team)


def can_set_mix(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    return viewer.role == Role.LEADER and access.can_view_team(viewer, team)


def can_see_hiring(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in MANAGING


def can_edit_hiring(viewer: Person | None, team: Team) -> bool:
    return can_set_mix(viewer, team)


def can_run(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role == Role.ADMIN
