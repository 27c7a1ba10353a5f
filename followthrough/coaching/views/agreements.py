"""Pages of the follow-through: agreements."""

from __future__ import annotations
