"""Pages: coaching plans."""

from __future__ import annotations
