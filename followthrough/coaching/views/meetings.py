"""Pages of the follow-through: meetings."""

from __future__ import annotations
