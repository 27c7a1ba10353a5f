"""Audit history of the thresholds, mix targets and hiring assumptions."""

from __future__ import annotations

from followthrough.audit.registry import register
from followthrough.diagnostics import models as m

register(m.DiagnosticSettings)
register(m.MixTarget)
register(m.HiringAssumptions)
