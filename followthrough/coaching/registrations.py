"""Audit history and data owners of the follow-through's records (run from apps.ready)."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.coaching import models as m
from followthrough.coaching.audit import agreement_title, ladder_title, note_display, note_title
from followthrough.goals.display import audit_value as metric_value
from followthrough.people.access import register_owner

register(m.Cadence)
register(m.Meeting, exclude=("agenda",))
register(m.MeetingNote, display=note_display, title=note_title)
register(m.AgendaItem)
register(m.SteppedIn)
# A commitment's or self-report's metric shows by its name, as on a goal.
register(m.Commitment, display=metric_value)
register(m.SelfReport, display=metric_value)
register(m.Problem)
register(m.Agreement, title=agreement_title)
register(m.Acknowledgement)
register(m.LadderStep, title=ladder_title)
register(m.CoachingSettings)

register_owner(m.Cadence, lambda row: row.rep)
register_owner(m.Meeting, lambda row: row.rep)
register_owner(m.AgendaItem, lambda row: row.meeting.rep)
register_owner(m.SteppedIn, lambda row: row.manager)
register_owner(m.Commitment, lambda row: row.owner)
register_owner(m.SelfReport, lambda row: row.rep)
register_owner(m.Problem, lambda row: row.rep)
register_owner(m.LadderStep, lambda row: row.rep)
register_owner(m.Acknowledgement, lambda row: row.person)
# Private notes have their own rule (rights.can_view_private_note); shared ones are the rep's.
register_owner(
    m.MeetingNote, lambda row: row.author if row.kind == m.NoteKind.PRIVATE else row.meeting.rep
)
