"""Audit history and data owners of recognition: every badge granted, kudos and story."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.people.access import register_owner
from followthrough.recognition import audit
from followthrough.recognition import models as m

register(m.Badge, display=audit.badge_display, title=audit.badge_title)
register(m.BadgeAward, display=audit.badge_display, title=audit.award_title)
register(m.Kudos, title=audit.kudos_title)
register(m.Story, title=audit.story_title)
register(m.RecognitionSettings)

register_owner(m.BadgeAward, lambda row: row.person)
register_owner(m.Kudos, lambda row: row.recipient)
register_owner(m.Story, lambda row: row.deal.owner)
