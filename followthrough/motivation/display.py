"""Contests and quests as people read them in the audit history: metric names, role names
and targets in their metric's unit, not stored keys (registered in motivation.apps)."""

from __future__ import annotations

from typing import Any

from followthrough.goals.display import audit_value as goal_value
from followthrough.people.models import Role


def audit_value(name: str, raw: Any, values: dict[str, Any], memo: dict) -> str | None:
    """A field's value for the history; None: the default display."""
    if name == "eligible_roles" and isinstance(raw, list):
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(role, role)) for role in raw)
    if name in ("metric_key", "target"):
        return goal_value(name, raw, values, memo)
    return None
