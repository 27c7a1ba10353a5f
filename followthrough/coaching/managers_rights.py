"""Who may see a manager's scorecard, and compare managers (the managers part's rules).

In plain words: a manager's follow-through is seen by the manager themself, by everyone
above them in the reporting line, by an admin of the organisation, and (read only, as
every scorecard page is) by the reps who report to them directly today: a rep sees
their own manager's figures. Peers, other managers and their reps are refused.
Leaders and admins compare the managers below them (an admin: all of them).
"""

from __future__ import annotations

from followthrough.people import access
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person, Role

# People whose follow-through as a manager is measured.
MANAGER_ROLES = (Role.MANAGER, Role.LEADER)
COMPARING_ROLES = (Role.LEADER, Role.ADMIN)


def reports_directly_to(person: Person, manager: Person) -> bool:
    line = line_on(person, today_for(person.organisation))
    return line is not None and line.manager_id == manager.pk


def can_view_manager_scorecard(viewer: Person | None, manager: Person) -> bool:
    if viewer is None or manager.organisation_id != viewer.organisation_id:
        return False
    if viewer.pk == manager.pk or viewer.role == Role.ADMIN:
        return True
    return access.manages(viewer, manager) or reports_directly_to(viewer, manager)


def can_compare_managers(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in COMPARING_ROLES


def comparable_manager_ids(viewer: Person) -> list[int]:
    """The managers in the viewer's subtree (an admin: the organisation's), by name."""
    people = access.visible_people(viewer).filter(role__in=MANAGER_ROLES, is_active=True)
    return list(people.exclude(pk=viewer.pk).order_by("name").values_list("pk", flat=True))
