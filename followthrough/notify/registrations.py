"""Audit history of notification settings: a team's chat channel, a person's choices."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.notify import models as m

register(m.ChatHook)
register(m.Preference)
