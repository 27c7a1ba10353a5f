"""Audit history of the notification settings a team shares: its chat channel."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.notify import models as m

register(m.ChatHook)
