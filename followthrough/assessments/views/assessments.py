"""Pages: assessments, ratings and focus areas."""

from __future__ import annotations
