"""Who may see and do what with onboarding and certification programs.

The rules, in plain words:
- Programs and their milestones are the organisation's: everyone in it reads them;
  managers, leaders and admins adapt them.
- An enrolment is the enrolled person's: they and everyone above them see it, an
  admin too. Their managers (or an admin) enrol them and withdraw them.
- Training is checked off, with evidence, by the person or their manager; a
  certification is signed off only by a manager above the person; metric milestones
  complete themselves from CRM data and nobody ticks them by hand.
"""

from __future__ import annotations

from followthrough.assessments.rights import can_edit_standards
from followthrough.coaching.rights import can_coach
from followthrough.people import access
from followthrough.people.models import Person, Role
from followthrough.programs.models import Enrolment, MilestoneKind

__all__ = ["can_edit_standards"]


def can_view_enrolment(viewer: Person | None, enrolment: Enrolment) -> bool:
    return access.can_view_person(viewer, enrolment.person)


def can_enrol(viewer: Person | None, person: Person) -> bool:
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    return can_coach(viewer, person) or (viewer.role == Role.ADMIN and viewer.pk != person.pk)


def can_complete(viewer: Person | None, enrolment: Enrolment, kind: str) -> bool:
    if viewer is None or enrolment.organisation_id != viewer.organisation_id:
        return False
    if kind == MilestoneKind.TRAINING:
        return viewer.pk == enrolment.person_id or can_coach(viewer, enrolment.person)
    if kind == MilestoneKind.CERTIFICATION:
        return can_coach(viewer, enrolment.person)
    return False
