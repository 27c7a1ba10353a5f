"""Pages: periodic reviews."""

from __future__ import annotations
