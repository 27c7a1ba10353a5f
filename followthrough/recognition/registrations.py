"""Audit history and data owners of recognition: every badge granted, kudos and story."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.people.access import register_owner
from followthrough.recognition import models as m

register(m.Badge)
register(m.BadgeAward)
register(m.Kudos)
register(m.Story)
register(m.RecognitionSettings)

register_owner(m.BadgeAward, lambda row: row.person)
register_owner(m.Kudos, lambda row: row.recipient)
register_owner(m.Story, lambda row: row.deal.owner)
