"""Pages of the follow-through: commitments."""

from __future__ import annotations
