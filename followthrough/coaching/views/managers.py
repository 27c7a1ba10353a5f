"""Pages of the follow-through: managers."""

from __future__ import annotations
