"""The ratings half of a rep's scorecard: a panel registered with scorecards.panels.

For the person's current template, each competency with its latest standing
manager rating and self rating (level, evidence, date), only where the viewer may read
the assessment, never a private note. A constant number of queries: the template, the
ratings with their assessments, the viewer's reports (cached per request), and for the
rep themself the cycles whose self-assessment is still a draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from followthrough.assessments import rights
from followthrough.assessments.assessing import standing
from followthrough.assessments.models import Assessment, AssessmentKind, AssessmentStatus, Rating
from followthrough.assessments.texts import level_label, shown
from followthrough.assessments.versions import template_for
from followthrough.lib.periods import Period
from followthrough.people.models import Person
from followthrough.scorecards.panels import register_panel

SHOWN_KINDS = (AssessmentKind.MANAGER, AssessmentKind.SELF)


@dataclass(frozen=True)
class Shown:
    """One rating as the panel shows it."""

    level: str
    level_index: int
    levels: int
    evidence: str
    day: object
    rater: str
    url: str


def visible_assessments(viewer: Person, rep: Person, assessments: list[Assessment]) -> set[int]:
    """Ids of the assessments `viewer` may read, by rights.can_view_assessment's rule, in bulk."""
    if viewer.organisation_id != rep.organisation_id:
        return set()
    pending: set = set()
    if viewer.pk == rep.pk:
        pending = set(
            Assessment.objects.filter(
                organisation_id=rep.organisation_id,
                rep_id=rep.pk,
                kind=AssessmentKind.SELF,
                status=AssessmentStatus.DRAFT,
            ).values_list("cycle_start", flat=True)
        )
    above = rights.above_rep(viewer, rep)
    found = set()
    for a in assessments:
        if viewer.pk == a.rater_id:
            ok = True
        elif viewer.pk == a.rep_id:
            ok = a.is_submitted and not (
                a.kind == AssessmentKind.MANAGER and a.cycle_start in pending
            )
        else:
            ok = above or (viewer.pk == a.requested_by_id and a.is_submitted)
        if ok:
            found.add(a.pk)
    return found


def _url(pk: int) -> str:
    return reverse("assessment", args=[pk])


def ratings_panel(viewer: Person, person: Person, period: Period) -> dict | None:
    template = template_for(person)
    if template is None or not template.competencies:
        return None
    ids = [c["id"] for c in template.competencies]
    ratings = list(
        Rating.objects.filter(
            organisation_id=person.organisation_id,
            competency_id__in=ids,
            assessment__in=standing(
                Assessment.objects.filter(rep_id=person.pk, kind__in=SHOWN_KINDS)
            ),
        )
        .select_related("assessment__template", "rater")
        .order_by("-assessment__cycle_end", "-rated_at", "-pk")
    )
    visible = visible_assessments(
        viewer, person, list({r.assessment_id: r.assessment for r in ratings}.values())
    )
    latest: dict[tuple[int, str], Shown] = {}
    for r in ratings:
        a = r.assessment
        key = (r.competency_id, a.kind)
        if key in latest or a.pk not in visible:
            continue
        keys = a.template.level_keys
        latest[key] = Shown(
            level=level_label(a.template.levels, r.level),
            level_index=keys.index(r.level) if r.level in keys else 0,
            levels=len(keys),
            evidence=r.evidence,
            day=r.rated_at,
            rater=r.rater.name if rights.can_see_rater(viewer, a) else "",
            url=_url(a.pk),
        )
    rows = [
        {
            "section": shown(c["section"]),
            "name": shown(c["name"]),
            "manager": latest.get((c["id"], AssessmentKind.MANAGER)),
            "self": latest.get((c["id"], AssessmentKind.SELF)),
        }
        for c in template.competencies
    ]
    return {
        "template": template,
        "rows": rows,
        "rated": any(row["manager"] or row["self"] for row in rows),
        "person": person,
        "is_me": viewer.pk == person.pk,
    }


register_panel("ratings", 100, ratings_panel, "assessments/rubrics/_ratings_panel.html")
