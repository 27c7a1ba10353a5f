"""Focus areas: the improvement areas a manager picks with the rep from an assessment.

Each is a competency and, where one exists, the metric that should move (the
competency's own by default). A rep works on a few at a time: the team's
AssessmentSettings.focus_limit (three unless the team says otherwise); picking one
more is refused until one is closed, as achieved or dropped.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followthrough.assessments import rights
from followthrough.assessments.models import (
    Assessment,
    AssessmentSettings,
    Competency,
    FocusArea,
    FocusStatus,
)
from followthrough.assessments.models.rubrics import FOCUS_LIMIT
from followthrough.goals.catalog import metrics_of
from followthrough.people.lines import team_on, today_for
from followthrough.people.models import Person, Team

CLOSED = (FocusStatus.ACHIEVED, FocusStatus.DROPPED)


def settings_of(team: Team) -> AssessmentSettings:
    """The team's settings; the defaults (not yet saved) when it has none."""
    found = AssessmentSettings.objects.filter(team=team).first()
    return found or AssessmentSettings(team=team, organisation_id=team.organisation_id)


def limit_for(rep: Person, day: dt.date) -> int:
    team = team_on(rep, day)
    found = AssessmentSettings.objects.filter(team=team).first() if team else None
    return found.focus_limit if found else FOCUS_LIMIT


def active_for(rep: Person) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(rep=rep, status=FocusStatus.ACTIVE)


def visible_focus_areas(viewer: Person) -> QuerySet[FocusArea]:
    return FocusArea.objects.filter(rights.visible_filter(viewer, "rep"))


@transaction.atomic
def pick(
    *,
    by: Person,
    assessment: Assessment,
    competency_id: int,
    metric_key: str | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> FocusArea:
    """A new active focus area for the assessment's rep, within the team's limit."""
    rep = assessment.rep
    if not rights.can_coach(by, rep):
        raise ValidationError(_("Only the rep's manager picks their focus areas."))
    if not assessment.is_submitted:
        raise ValidationError(_("Pick focus areas from a submitted assessment."))
    snapshot = {c["id"]: c for c in assessment.template.competencies}
    if competency_id not in snapshot:
        raise ValidationError({"competency": _("This competency is not on the template.")})
    on = on or today_for(rep.organisation)
    # Locks the rep's row: two managers picking at once cannot both pass the limit.
    Person.objects.select_for_update().filter(pk=rep.pk).first()
    limit = limit_for(rep, on)
    active = active_for(rep)
    if active.count() >= limit:
        raise ValidationError(
            {
                "competency": ngettext(
                    "%(count)d focus area at a time: close one (achieved or dropped) before picking another.",
                    "%(count)d focus areas at a time: close one (achieved or dropped) before picking another.",
                    limit,
                )
                % {"count": limit}
            }
        )
    if active.filter(competency_id=competency_id).exists():
        raise ValidationError({"competency": _("This competency is already a focus area.")})
    if metric_key is None:
        metric_key = snapshot[competency_id].get("metric") or ""
    elif metric_key and metric_key not in metrics_of(rep.organisation):
        raise ValidationError({"metric_key": _("Choose one of the organisation's metrics.")})
    area = FocusArea(
        organisation_id=rep.organisation_id,
        rep=rep,
        competency=Competency.objects.get(pk=competency_id),
        metric_key=metric_key,
        assessment=assessment,
        note=note.strip(),
        picked_by=by,
        picked_on=on,
    )
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def close(area: FocusArea, *, by: Person, status: str, on: dt.date | None = None) -> FocusArea:
    """Close an active focus area as achieved or dropped."""
    if not rights.can_coach(by, area.rep):
        raise ValidationError(_("Only the rep's manager closes their focus areas."))
    if status not in CLOSED:
        raise ValidationError({"status": _("Close it as achieved or dropped.")})
    if area.status != FocusStatus.ACTIVE:
        raise ValidationError(_("This focus area is already closed."))
    area.status = status
    area.closed_on = on or today_for(area.organisation)
    area.save()
    return area
