"""Team thresholds, mix targets, the nightly runs, the hygiene score's history and the
hiring forecast's assumptions."""

from followthrough.diagnostics.models.hiring import HiringAssumptions
from followthrough.diagnostics.models.hygiene import HygieneScore
from followthrough.diagnostics.models.runs import Run, RunStatus
from followthrough.diagnostics.models.settings import (
    DiagnosticSettings,
    MixDimension,
    MixTarget,
)

__all__ = [
    "DiagnosticSettings",
    "HiringAssumptions",
    "HygieneScore",
    "MixDimension",
    "MixTarget",
    "Run",
    "RunStatus",
]
