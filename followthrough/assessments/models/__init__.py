"""Rubrics, role scorecard templates, assessments and their ratings, focus areas,
coaching plans and periodic reviews."""

from followthrough.assessments.models.assessments import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Rating,
)
from followthrough.assessments.models.plans import (
    CoachingPlan,
    FocusArea,
    FocusStatus,
    PlanCommitment,
    PlanStatus,
)
from followthrough.assessments.models.reviews import Review, ReviewCommitment, ReviewStatus
from followthrough.assessments.models.rubrics import (
    AssessmentSettings,
    Competency,
    Rubric,
    RubricSection,
    ScorecardTemplate,
    default_levels,
)

__all__ = [
    "Assessment",
    "AssessmentKind",
    "AssessmentSettings",
    "AssessmentStatus",
    "CoachingPlan",
    "Competency",
    "FocusArea",
    "FocusStatus",
    "PlanCommitment",
    "PlanStatus",
    "Rating",
    "Review",
    "ReviewCommitment",
    "ReviewStatus",
    "Rubric",
    "RubricSection",
    "ScorecardTemplate",
    "default_levels",
]
