"""Who may see and do what with rubrics, assessments, focus areas, plans and reviews.

The rules, in plain words:
- Rubrics and scorecard templates are the organisation's standards: everyone in it
  reads them (expectations are known from day one); managers, leaders and admins
  adapt them, and every change is audited.
- An assessment is about a rep. The rep's line (managers above them, directly or
  through others) and an admin read all of it except private notes. The rater reads
  what they wrote.
- The rep reads their submitted assessments, never a private note, never a draft by
  someone else, never the name of an anonymous peer, and not a manager assessment
  until their own self-assessment for that cycle is submitted (if one was asked for,
  the rep writes it first).
- A private note is for its rater and the people the rater reports to.
- A manager assesses, observes and certifies the people reporting to them; nobody
  assesses themself except in a self-assessment. A manager chooses the peers who
  review a rep; the peer writes that review.
- Focus areas, coaching plans and reviews are the rep's coaching records: the rep and
  their line read them; the rep's managers write them. The rep acknowledges and
  comments on their own review, once shared.
- Calibration compares managers: a leader sees the managers in their subtree, an
  admin the organisation's.
"""

from __future__ import annotations

from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Review,
    ReviewStatus,
)
from followthrough.coaching.rights import MANAGING_ROLES, can_coach, visible_filter
from followthrough.people import access
from followthrough.people.models import Person, Role

__all__ = ["can_coach", "visible_filter"]


def same_org(viewer: Person | None, obj) -> bool:
    return viewer is not None and obj.organisation_id == viewer.organisation_id


def can_edit_standards(viewer: Person | None) -> bool:
    """May adapt rubrics and scorecard templates (and programs)."""
    return viewer is not None and viewer.role in MANAGING_ROLES


def above_rep(viewer: Person | None, rep: Person) -> bool:
    """An admin of the organisation, or someone the rep reports to."""
    if viewer is None or rep.organisation_id != viewer.organisation_id:
        return False
    return viewer.role == Role.ADMIN or access.manages(viewer, rep)


def can_assess(viewer: Person | None, rep: Person, kind: str) -> bool:
    """May `viewer` start an assessment of `kind` about `rep` (as its rater, or as requester for a peer review)?"""
    if viewer is None or rep.organisation_id != viewer.organisation_id or not rep.is_active:
        return False
    if kind == AssessmentKind.SELF:
        return viewer.pk == rep.pk
    return can_coach(viewer, rep)


def can_be_peer(peer: Person, rep: Person) -> bool:
    """A peer reviewer: an active colleague in the organisation, not the rep."""
    return peer.organisation_id == rep.organisation_id and peer.is_active and peer.pk != rep.pk


def self_assessment_pending(assessment: Assessment) -> bool:
    """Did the cycle ask the rep for a self-assessment that is not yet submitted?"""
    return Assessment.objects.filter(
        organisation_id=assessment.organisation_id,
        rep_id=assessment.rep_id,
        kind=AssessmentKind.SELF,
        cycle_start=assessment.cycle_start,
        status=AssessmentStatus.DRAFT,
    ).exists()


def can_view_assessment(viewer: Person | None, assessment: Assessment) -> bool:
    if not same_org(viewer, assessment):
        return False
    if viewer.pk == assessment.rater_id:
        return True
    if viewer.pk == assessment.rep_id:
        if not assessment.is_submitted:
            return False
        if assessment.kind == AssessmentKind.MANAGER:
            return not self_assessment_pending(assessment)
        return True
    return above_rep(viewer, assessment.rep) or (
        viewer.pk == assessment.requested_by_id and assessment.is_submitted
    )


def can_edit_assessment(viewer: Person | None, assessment: Assessment) -> bool:
    """Only its rater, and only while it is a draft: submitted assessments are immutable."""
    return (
        viewer is not None
        and viewer.pk == assessment.rater_id
        and assessment.status == AssessmentStatus.DRAFT
    )


def can_correct_assessment(viewer: Person | None, assessment: Assessment) -> bool:
    """A submitted assessment is corrected by a new version, by its rater."""
    return (
        viewer is not None
        and viewer.pk == assessment.rater_id
        and assessment.status == AssessmentStatus.SUBMITTED
    )


def can_see_rater(viewer: Person | None, assessment: Assessment) -> bool:
    """An anonymous peer review hides its reviewer from the rep (only from the rep)."""
    if viewer is None:
        return False
    return not (assessment.anonymous and viewer.pk == assessment.rep_id)


def can_view_private_note(viewer: Person | None, assessment: Assessment) -> bool:
    if not same_org(viewer, assessment) or viewer.pk == assessment.rep_id:
        return False
    return viewer.pk == assessment.rater_id or access.manages(viewer, assessment.rater)


def can_view_coaching_records(viewer: Person | None, rep: Person) -> bool:
    """Focus areas, coaching plans and reviews: the rep and everyone above them."""
    return access.can_view_person(viewer, rep)


def can_view_review(viewer: Person | None, review: Review) -> bool:
    if not same_org(viewer, review):
        return False
    if viewer.pk == review.rep_id:
        return review.status != ReviewStatus.DRAFT
    return access.can_view_person(viewer, review.rep)


def can_write_review(viewer: Person | None, review: Review) -> bool:
    """The manager writes the summary until the rep has acknowledged it."""
    return can_coach(viewer, review.rep) and review.status != ReviewStatus.ACKNOWLEDGED


def can_acknowledge_review(viewer: Person | None, review: Review) -> bool:
    return (
        viewer is not None and viewer.pk == review.rep_id and review.status == ReviewStatus.SHARED
    )


def can_calibrate(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in (Role.LEADER, Role.ADMIN)
