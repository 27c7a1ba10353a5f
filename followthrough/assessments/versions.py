"""Role scorecard templates and their versions.

Publishing freezes the rubric as it stands (levels, competencies, behaviours) with the
template's KPIs and weights into a new version; the previous version stays as it was,
so an assessment made on it keeps its meaning. Nothing ever rewrites a version.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from followthrough.assessments.models import Competency, Rubric, ScorecardTemplate
from followthrough.people.models import Person


def rubric_snapshot(rubric: Rubric, weights: dict[int, str] | None = None) -> list[dict]:
    """The rubric's competencies in use, as a template version freezes them."""
    weights = weights or {}
    competencies = (
        Competency.objects.filter(section__rubric=rubric, is_active=True)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )
    return [
        {
            "id": c.pk,
            "section": c.section.name,
            "name": c.name,
            "behaviours": c.behaviours,
            "metric": c.metric_key,
            "weight": str(weights.get(c.pk, "")),
        }
        for c in competencies
    ]


def _check_weights(kpis: list[dict], competency_weights: dict[int, str]) -> None:
    for weight in [k.get("weight", "") for k in kpis] + list(competency_weights.values()):
        if weight in ("", None):
            continue
        try:
            if Decimal(str(weight)) < 0:
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError({"weights": _("A weight is a number of zero or more.")}) from None


@transaction.atomic
def publish(
    *,
    rubric: Rubric,
    name: str,
    job_title: str = "",
    kpis: list[dict] | None = None,
    competency_weights: dict[int, str] | None = None,
    family: ScorecardTemplate | None = None,
    by: Person | None = None,
) -> ScorecardTemplate:
    """A new template, or (given `family`, its current version) the next version of one."""
    kpis = kpis or []
    competency_weights = competency_weights or {}
    _check_weights(kpis, competency_weights)
    version = 1
    key = uuid.uuid4().hex
    if family is not None:
        current = (
            ScorecardTemplate.objects.select_for_update()
            .filter(organisation_id=family.organisation_id, family=family.family, is_current=True)
            .first()
        )
        if current is None or current.pk != family.pk:
            raise ValidationError(
                _("This template was changed meanwhile; open its current version.")
            )
        key, version = current.family, current.version + 1
        current.is_current = False
        current.save(update_fields=["is_current"])
    return ScorecardTemplate.objects.create(
        organisation_id=rubric.organisation_id,
        family=key,
        version=version,
        is_current=True,
        name=name,
        job_title=job_title,
        rubric=rubric,
        kpis=kpis,
        levels=rubric.levels,
        competencies=rubric_snapshot(rubric, competency_weights),
        created_by=by,
    )


def template_for(person: Person) -> ScorecardTemplate | None:
    """The current template for the person's job title, else the organisation's default one."""
    current = ScorecardTemplate.objects.filter(
        organisation_id=person.organisation_id, is_current=True
    )
    by_title = {t.job_title: t for t in current.order_by("pk")}
    return by_title.get(person.title) or by_title.get("")
