"""The sales-management checklist around assessments: cycles, who sees which, requests.

A cycle is the organisation's fiscal quarter by default. A manager assesses or
observes a rep, asks the rep for a self-assessment (written first: the rep sees the
manager's only once theirs is in) and chooses peers for a peer review. The lists
here are set-based: one query for a page of assessments, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from followthrough.assessments import assessing, rights
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ScorecardTemplate,
)
from followthrough.assessments.versions import template_for
from followthrough.lib.periods import Period, add_months, period_of
from followthrough.people import access
from followthrough.people.lines import reports_of, today_for
from followthrough.people.models import Organisation, Person, Role

# The kinds a manager starts from the assessment pages (certifications belong to programs).
MANAGER_KINDS = (AssessmentKind.MANAGER, AssessmentKind.OBSERVATION)
# The kinds compared side by side on an assessment page.
COMPARED = (AssessmentKind.SELF, AssessmentKind.MANAGER, AssessmentKind.PEER)


def cycle_of(org: Organisation, day: dt.date) -> Period:
    """The fiscal quarter holding `day` (quarters counted from the fiscal year's start)."""
    year = period_of("fiscal_year", day, org.fiscal_year_start_month)
    months = (day.year - year.start.year) * 12 + day.month - year.start.month
    start = add_months(year.start, months // 3 * 3)
    return Period(start, add_months(start, 3) - dt.timedelta(days=1))


def current_cycle(org: Organisation) -> Period:
    return cycle_of(org, today_for(org))


def previous_cycle(cycle: Period, org: Organisation) -> Period:
    return cycle_of(org, cycle.start - dt.timedelta(days=1))


def _self_pending() -> Exists:
    return Exists(
        Assessment.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            rep_id=OuterRef("rep_id"),
            kind=AssessmentKind.SELF,
            cycle_start=OuterRef("cycle_start"),
            status=AssessmentStatus.DRAFT,
        )
    )


def visible_assessments(viewer: Person) -> QuerySet[Assessment]:
    """What `viewer` may open, as one query (the same rules as rights.can_view_assessment)."""
    rows = Assessment.objects.filter(organisation_id=viewer.organisation_id).annotate(
        self_pending=Exists(_self_pending())
    )
    submitted = ~Q(status=AssessmentStatus.DRAFT)
    own = Q(rep_id=viewer.pk) & submitted & ~(Q(kind=AssessmentKind.MANAGER) & Q(self_pending=True))
    seen = Q(rater_id=viewer.pk) | own | (Q(requested_by_id=viewer.pk) & submitted)
    if viewer.role == Role.ADMIN:
        seen |= ~Q(rep_id=viewer.pk)
    else:
        ids = access.visible_person_ids(viewer) or set()
        seen |= Q(rep_id__in=ids - {viewer.pk})
    return rows.filter(seen)


def hidden_until_self(rep: Person) -> list[Assessment]:
    """The rep's submitted manager assessments waiting for their own self-assessment."""
    return list(
        Assessment.objects.filter(
            organisation_id=rep.organisation_id,
            rep=rep,
            kind=AssessmentKind.MANAGER,
            status=AssessmentStatus.SUBMITTED,
        )
        .annotate(self_pending=Exists(_self_pending()))
        .filter(self_pending=True)
        .order_by("cycle_start")
    )


def asked_of(viewer: Person) -> QuerySet[Assessment]:
    """Drafts others asked `viewer` to write: peer reviews and requested self-assessments."""
    return Assessment.objects.filter(
        organisation_id=viewer.organisation_id,
        rater=viewer,
        status=AssessmentStatus.DRAFT,
    ).exclude(requested_by=None)


def assessable_reps(viewer: Person) -> QuerySet[Person]:
    """The active people `viewer` may assess as a manager: those reporting to them."""
    if viewer.role not in rights.MANAGING_ROLES:
        return Person.objects.none()
    ids = reports_of(viewer) - {viewer.pk}
    return Person.objects.filter(
        organisation_id=viewer.organisation_id, pk__in=ids, is_active=True
    ).order_by("name")


def peer_candidates(rep: Person) -> QuerySet[Person]:
    """Colleagues who may review `rep`: active reps of the organisation other than the rep."""
    return (
        Person.objects.filter(organisation_id=rep.organisation_id, role=Role.REP, is_active=True)
        .exclude(pk=rep.pk)
        .order_by("name")
    )


def _template(rep: Person) -> ScorecardTemplate:
    template = template_for(rep)
    if template is None:
        raise ValidationError(
            {"rep": _("No scorecard template applies to this person yet: publish one first.")}
        )
    return template


def _open_one(rep: Person, rater: Person, kind: str, cycle: Period) -> Assessment | None:
    """The rater's assessment of this kind for the rep and cycle still standing, if any."""
    return (
        Assessment.objects.filter(
            organisation_id=rep.organisation_id,
            rep=rep,
            rater=rater,
            kind=kind,
            cycle_start=cycle.start,
        )
        .exclude(status=AssessmentStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def start_assessment(
    *,
    by: Person,
    rep: Person,
    kind: str,
    cycle: Period,
    ask_self_first: bool = False,
    **details,
) -> Assessment:
    """A manager's assessment or observation of a rep (a draft, rated by `by`).

    A manager assessment is one per rater and cycle: starting it again opens the
    existing one. With `ask_self_first`, the rep is asked for their self-assessment too.
    """
    if kind not in MANAGER_KINDS:
        raise ValidationError({"kind": _("Choose a manager assessment or an observation.")})
    if rep.pk == by.pk:
        raise ValidationError({"rep": _("Nobody rates themself except in a self-assessment.")})
    if not rights.can_assess(by, rep, kind):
        raise ValidationError({"rep": _("You may assess only the people reporting to you.")})
    if kind == AssessmentKind.OBSERVATION:
        _check_observed(rep, details)
    template = _template(rep)
    if ask_self_first:
        ask_self_assessment(by=by, rep=rep, cycle=cycle)
    if kind == AssessmentKind.MANAGER:
        existing = _open_one(rep, by, kind, cycle)
        if existing is not None:
            return existing
    return assessing.start(
        rep=rep,
        rater=by,
        kind=kind,
        template=template,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        **details,
    )


def _check_observed(rep: Person, details: dict) -> None:
    errors = {}
    if not details.get("observed_on"):
        errors["observed_on"] = _("Say on which day you observed the rep.")
    deal, activity = details.get("deal"), details.get("activity")
    if deal is None and activity is None:
        errors["deal"] = _("Link the deal or the activity you observed.")
    if deal is not None and deal.owner_id != rep.pk:
        errors["deal"] = _("Choose one of the rep's own deals.")
    if activity is not None and activity.owner_id != rep.pk:
        errors["activity"] = _("Choose one of the rep's own activities.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ask_self_assessment(*, by: Person, rep: Person, cycle: Period) -> Assessment:
    """The rep's self-assessment for the cycle: the existing one, or a draft asked for by `by`."""
    if by.pk != rep.pk and not rights.can_coach(by, rep):
        raise ValidationError({"rep": _("You may ask only the people reporting to you.")})
    existing = _open_one(rep, rep, AssessmentKind.SELF, cycle)
    if existing is not None:
        return existing
    return assessing.start(
        rep=rep,
        rater=rep,
        kind=AssessmentKind.SELF,
        template=_template(rep),
        cycle_start=cycle.start,
        cycle_end=cycle.end,
        requested_by=None if by.pk == rep.pk else by,
    )


@transaction.atomic
def request_peer_reviews(
    *, by: Person, rep: Person, peers: list[Person], cycle: Period
) -> list[Assessment]:
    """Draft peer reviews of `rep`, one per chosen peer, each written by that peer."""
    if not rights.can_assess(by, rep, AssessmentKind.PEER):
        raise ValidationError(
            {"rep": _("You may ask for reviews only of people reporting to you.")}
        )
    if not peers:
        raise ValidationError({"peers": _("Choose at least one peer.")})
    for peer in peers:
        if peer.pk == by.pk:
            raise ValidationError({"peers": _("Choose peers other than yourself.")})
        if not rights.can_be_peer(peer, rep):
            raise ValidationError(
                {"peers": _("Choose a colleague other than the rep as the peer.")}
            )
    template = _template(rep)
    made = []
    for peer in peers:
        existing = _open_one(rep, peer, AssessmentKind.PEER, cycle)
        made.append(
            existing
            or assessing.start(
                rep=rep,
                rater=peer,
                kind=AssessmentKind.PEER,
                template=template,
                cycle_start=cycle.start,
                cycle_end=cycle.end,
                requested_by=by,
            )
        )
    return made


@dataclass
class CompetencyRow:
    """One competency's levels side by side: self, manager, peers."""

    id: int
    section: str
    name: str
    self_level: str = ""
    manager_level: str = ""
    peer_levels: list[str] = field(default_factory=list)


def comparison(assessment: Assessment) -> list[CompetencyRow]:
    """The standing self, manager and peer levels of the rep's cycle, per competency (2 queries)."""
    others = assessing.standing(
        Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            rep_id=assessment.rep_id,
            cycle_start=assessment.cycle_start,
            kind__in=COMPARED,
        )
    ).prefetch_related("ratings")
    levels: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for other in others.order_by("kind", "pk"):
        for rating in other.ratings.all():
            levels[rating.competency_id][other.kind].append(rating.level)
    rows = []
    for c in assessment.template.competencies:
        found = levels.get(c["id"], {})
        rows.append(
            CompetencyRow(
                id=c["id"],
                section=c["section"],
                name=c["name"],
                self_level=(found.get(AssessmentKind.SELF) or [""])[-1],
                manager_level=(found.get(AssessmentKind.MANAGER) or [""])[-1],
                peer_levels=list(found.get(AssessmentKind.PEER, [])),
            )
        )
    return rows


def versions_of(assessment: Assessment) -> list[Assessment]:
    """Every version in the assessment's chain of corrections, oldest first."""
    chain = [assessment]
    current = assessment
    while current.supersedes_id:
        current = Assessment.objects.get(pk=current.supersedes_id)
        chain.insert(0, current)
    current = assessment
    while True:
        newer = Assessment.objects.filter(supersedes_id=current.pk).first()
        if newer is None:
            break
        chain.append(newer)
        current = newer
    return chain
