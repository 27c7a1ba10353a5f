"""Pages: rubrics and role scorecard templates."""

from __future__ import annotations
