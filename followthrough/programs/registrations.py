"""Audit history and data owners of programs, milestones and enrolments."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.people.access import register_owner
from followthrough.programs import audit
from followthrough.programs import models as m

register(m.Program, display=audit.text_display, title=audit.named_title)
register(m.Milestone, display=audit.text_display, title=audit.named_title)
register(m.Enrolment, display=audit.text_display, title=audit.enrolment_title)
register(m.MilestoneCompletion, display=audit.text_display, title=audit.completion_title)

register_owner(m.Enrolment, lambda row: row.person)
register_owner(m.MilestoneCompletion, lambda row: row.enrolment.person)
