"""Audit history and data owners of rubrics, templates, assessments, plans and reviews."""

from __future__ import annotations

from followthrough.assessments import models as m
from followthrough.assessments.audit_rubrics import named_title, rubric_display
from followthrough.assessments.audit_titles import (
    assessment_display,
    assessment_title,
    competency_display,
    focus_title,
    rating_title,
)
from followthrough.audit.registry import register
from followthrough.people.access import register_owner

register(m.Rubric, display=rubric_display, title=named_title)
register(m.RubricSection, display=rubric_display, title=named_title)
register(m.Competency, display=rubric_display, title=named_title)
register(m.ScorecardTemplate, display=rubric_display, title=named_title)
register(m.AssessmentSettings)
register(m.Assessment, display=assessment_display, title=assessment_title)
register(m.Rating, display=competency_display, title=rating_title)
register(m.FocusArea, display=competency_display, title=focus_title)
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
