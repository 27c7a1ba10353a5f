"""Starting, rating, submitting and correcting assessments: the sales-management checklist.

Each operation checks the rules itself (rights are the caller's job), so the pages,
the API and the demo share one path. A rating outside the template's levels or about
a competency the template does not hold is refused; a submitted assessment is never
edited: `correct` makes the next version, and the old one stays, marked corrected.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSettings,
    AssessmentStatus,
    Rating,
    ScorecardTemplate,
)
from followthrough.assessments.rights import can_be_peer
from followthrough.people.lines import team_on
from followthrough.people.models import Person


def peer_reviews_anonymous(rep: Person, day: dt.date) -> bool:
    team = team_on(rep, day)
    found = AssessmentSettings.objects.filter(team=team).first() if team else None
    return found.anonymous_peer_reviews if found else True


@transaction.atomic
def start(
    *,
    rep: Person,
    rater: Person,
    kind: str,
    template: ScorecardTemplate,
    cycle_start: dt.date,
    cycle_end: dt.date,
    requested_by: Person | None = None,
    **details,
) -> Assessment:
    """A draft assessment (details: observed_on, deal, activity for an observation)."""
    if template.organisation_id != rep.organisation_id:
        raise ValidationError({"template": _("Choose a template of this organisation.")})
    if kind == AssessmentKind.PEER and not can_be_peer(rater, rep):
        raise ValidationError({"rater": _("Choose a colleague other than the rep as the peer.")})
    assessment = Assessment(
        organisation_id=rep.organisation_id,
        rep=rep,
        rater=rater,
        kind=kind,
        template=template,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        requested_by=requested_by,
        anonymous=kind == AssessmentKind.PEER and peer_reviews_anonymous(rep, cycle_start),
        **details,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


# What a correction does not take over from the version it corrects.
NOT_COPIED = {
    "id",
    "status",
    "version",
    "supersedes",
    "submitted_at",
    "correction_reason",
    "created_at",
    "updated_at",
}


def _competency_ids(template: ScorecardTemplate) -> set[int]:
    return {c["id"] for c in template.competencies}


@transaction.atomic
def rate(assessment: Assessment, competency_id: int, level: str, evidence: str = "") -> Rating:
    """Set (or change, while a draft) one competency's level and evidence."""
    status = Assessment.objects.select_for_update().values_list("status", flat=True)
    if status.get(pk=assessment.pk) != AssessmentStatus.DRAFT:
        raise ValidationError(_("A submitted assessment cannot change; correct it instead."))
    if competency_id not in _competency_ids(assessment.template):
        raise ValidationError({"competency": _("This competency is not on the template.")})
    if level not in assessment.template.level_keys:
        raise ValidationError({"level": _("Choose one of the rubric's levels.")})
    rating, created = Rating.objects.get_or_create(
        assessment=assessment,
        competency_id=competency_id,
        defaults={
            "organisation_id": assessment.organisation_id,
            "level": level,
            "evidence": evidence,
            "rater_id": assessment.rater_id,
            "rated_at": timezone.now(),
        },
    )
    if not created and (rating.level, rating.evidence) != (level, evidence):
        rating.level, rating.evidence, rating.rated_at = level, evidence, timezone.now()
        rating.save()
    return rating


@transaction.atomic
def submit(assessment: Assessment) -> Assessment:
    """Make it final: every competency on the template rated, then immutable."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise ValidationError(_("This assessment is already submitted."))
    rated = set(locked.ratings.values_list("competency_id", flat=True))
    missing = [c["name"] for c in locked.template.competencies if c["id"] not in rated]
    if missing:
        raise ValidationError(
            {
                "ratings": _("Rate every competency first; %(count)d still open.")
                % {"count": len(missing)}
            }
        )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save()
    if assessment.supersedes_id:
        # A correction stands from now on; the version it corrects is kept, marked corrected.
        old = Assessment.objects.get(pk=assessment.supersedes_id)
        old.status = AssessmentStatus.SUPERSEDED
        old.save()
    return assessment


@transaction.atomic
def correct(assessment: Assessment, reason: str) -> Assessment:
    """A new draft version of a submitted assessment, with its ratings; the old one is kept.

    The new version is submitted like any draft; until then the old one stands, and
    submitting it marks the old one corrected.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment is corrected."))
    if hasattr(assessment, "superseded_by"):
        raise ValidationError(_("A correction of this assessment is already open."))
    if not reason.strip():
        raise ValidationError({"correction_reason": _("Say why it needs correcting.")})
    fields = {
        f.attname: getattr(assessment, f.attname)
        for f in Assessment._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    fresh = Assessment.objects.create(
        **fields,
        version=assessment.version + 1,
        supersedes=assessment,
        correction_reason=reason.strip(),
    )
    for r in assessment.ratings.all():  # one by one: each copy is in the audit history
        Rating.objects.create(
            organisation_id=r.organisation_id,
            assessment=fresh,
            competency_id=r.competency_id,
            level=r.level,
            evidence=r.evidence,
            rater_id=r.rater_id,
            rated_at=r.rated_at,
        )
    return fresh


def standing(queryset):
    """Assessments that count: submitted and not corrected since."""
    return queryset.filter(status=AssessmentStatus.SUBMITTED)
