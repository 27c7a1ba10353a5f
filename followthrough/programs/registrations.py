"""Audit history and data owners of programs, milestones and enrolments."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.people.access import register_owner
from followthrough.programs import models as m

register(m.Program)
register(m.Milestone)
register(m.Enrolment)
register(m.MilestoneCompletion)

register_owner(m.Enrolment, lambda row: row.person)
register_owner(m.MilestoneCompletion, lambda row: row.enrolment.person)
