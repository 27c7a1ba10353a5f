"""Audit history and data owners of rubrics, templates, assessments, plans and reviews."""

from __future__ import annotations

from followthrough.assessments import models as m
from followthrough.audit.registry import register
from followthrough.people.access import register_owner
from followthrough.people.models import Person


def assessment_title(values: dict, memo: dict) -> str | None:
    """'Manager assessment: Rita 2026-10-01' in the reader's language, not the writer's."""
    kind = values.get("kind")
    if kind not in m.AssessmentKind.values:
        return None
    rep = memo.get("names", {}).get((Person, values.get("rep")), "")
    return f"{m.AssessmentKind(kind).label}: {rep} {values.get('cycle_start') or ''}".strip()


register(m.Rubric)
register(m.RubricSection)
register(m.Competency)
register(m.ScorecardTemplate)
register(m.AssessmentSettings)
register(m.Assessment, title=assessment_title)
register(m.Rating)
register(m.FocusArea)
register(m.CoachingPlan)
register(m.PlanCommitment)
register(m.Review, exclude=("record",))
register(m.ReviewCommitment)

register_owner(m.Assessment, lambda row: row.rep)
register_owner(m.Rating, lambda row: row.assessment.rep)
register_owner(m.FocusArea, lambda row: row.rep)
register_owner(m.CoachingPlan, lambda row: row.rep)
register_owner(m.PlanCommitment, lambda row: row.plan.rep)
register_owner(m.Review, lambda row: row.rep)
register_owner(m.ReviewCommitment, lambda row: row.review.rep)
