"""Periodic reviews: the period's record, the manager's summary, the rep's acknowledgement.

A review covers one period of the team's rhythm (AssessmentSettings.review_months, three
by default: quarterly). While a draft, its page assembles the period live: the KPI
summary of the rep's scorecard, the standing manager assessment, the self-assessment,
peer feedback (an anonymous peer stays anonymous), coaching-plan progress and the
commitments due in the period. Sharing freezes that assembly in `record`, so later
data never rewrites a review; the rep then acknowledges it and may comment.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followthrough.assessments import assessing
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSettings,
    CoachingPlan,
    PlanStatus,
    Review,
    ReviewCommitment,
    ReviewStatus,
)
from followthrough.assessments.plans import change_counts, compare, standing_version
from followthrough.assessments.rights import (
    can_acknowledge_review,
    can_coach,
    can_write_review,
    visible_filter,
)
from followthrough.coaching.commitments import make_commitment
from followthrough.coaching.models import Commitment, CommitmentStatus
from followthrough.lib.periods import Period, PeriodKind, add_months, months_after
from followthrough.people.lines import team_on, today_for
from followthrough.people.models import Person
from followthrough.scorecards.scorecard import build_scorecard

DEFAULT_MONTHS = 3
RECORD_VERSION = 1


def review_months(rep: Person, day: dt.date) -> int:
    team = team_on(rep, day)
    found = AssessmentSettings.objects.filter(team=team).first() if team else None
    months = found.review_months if found else DEFAULT_MONTHS
    return months if months in (1, 2, 3, 4, 6, 12) else DEFAULT_MONTHS


def period_containing(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The review period of `months` months (aligned on the calendar year) holding `day`."""
    first = add_months(dt.date(day.year, 1, 1), (day.month - 1) // months * months)
    return first, add_months(first, months) - dt.timedelta(days=1)


def last_period(rep: Person, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last full review period before today: what a review usually covers."""
    months = review_months(rep, today)
    start, _end = period_containing(today, months)
    return period_containing(start - dt.timedelta(days=1), months)


def period_end(rep: Person, start: dt.date) -> dt.date:
    return months_after(start, review_months(rep, start)) - dt.timedelta(days=1)


def reviews_visible(viewer: Person):
    """Reviews of the people the viewer sees; a rep never sees a draft of their own."""
    rows = Review.objects.filter(visible_filter(viewer, "rep"))
    return rows.exclude(rep=viewer, status=ReviewStatus.DRAFT)


@transaction.atomic
def open_review(
    *, by: Person, rep: Person, period_start: dt.date | None, today: dt.date | None = None
) -> Review:
    """A draft review of `rep` for the period starting `period_start`."""
    if not can_coach(by, rep):
        raise PermissionDenied("Only a manager of the rep opens a review.")
    today = today or today_for(rep.organisation)
    if period_start is None:
        raise ValidationError({"period_start": _("Give the first day of the period.")})
    if period_start > today:
        raise ValidationError({"period_start": _("The period has not started yet.")})
    review = Review(
        organisation_id=rep.organisation_id,
        rep=rep,
        manager=by,
        period_start=period_start,
        period_end=period_end(rep, period_start),
    )
    review.full_clean(validate_constraints=False)
    if Review.objects.filter(rep=rep, period_start=period_start).exists():
        raise ValidationError({"period_start": _("This rep has a review for this period already.")})
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(
            {"period_start": _("This rep has a review for this period already.")}
        ) from None
    return review


def _levels_of(assessment: Assessment) -> list[dict]:
    ratings = {r.competency_id: r for r in assessment.ratings.all()}
    rows = []
    for competency in assessment.template.competencies:
        rating = ratings.get(competency["id"])
        rows.append(
            {
                "id": competency["id"],
                "section": competency.get("section", ""),
                "name": competency["name"],
                "level": rating.level if rating else "",
                "evidence": rating.evidence if rating else "",
            }
        )
    return rows


def _assessment(assessment: Assessment | None, *, show_rater: bool = True) -> dict | None:
    """An assessment as the record keeps it: never its private note."""
    if assessment is None:
        return None
    return {
        "id": assessment.pk,
        "kind": assessment.kind,
        "rater": assessment.rater.name if show_rater else None,
        "anonymous": not show_rater,
        "submitted_on": assessment.submitted_at.date().isoformat()
        if assessment.submitted_at
        else None,
        "summary": assessment.summary,
        "levels": assessment.template.levels,
        "competencies": _levels_of(assessment),
    }


def _kpis(review: Review, today: dt.date) -> list[dict]:
    quarter = review.period_end == add_months(review.period_start, 3) - dt.timedelta(days=1)
    kind = PeriodKind.QUARTER if quarter and review.period_start.month % 3 == 1 else "custom"
    period = Period(review.period_start, review.period_end, kind)
    card = build_scorecard(review.rep, period, today=max(today, review.period_start))
    return [
        {
            "key": kpi.key,
            # The stored name: a built-in one is translated when shown, in the reader's language.
            "name": kpi.metric.name,
            "builtin": kpi.metric.builtin,
            "unit": str(kpi.metric.unit),
            "actual": None if kpi.actual.value is None else str(kpi.actual.value),
            "target": None if kpi.target is None else str(kpi.target),
            "attainment": None if kpi.attainment is None else str(kpi.attainment),
        }
        for kpi in card.kpis
    ]


def commitments_due(rep: Person, start: dt.date, end: dt.date):
    return Commitment.objects.filter(rep_filter(rep), due_on__gte=start, due_on__lte=end)


def rep_filter(rep: Person):
    from django.db.models import Q

    return Q(organisation_id=rep.organisation_id, owner=rep)


def commitments_kept(rep: Person, start: dt.date, end: dt.date) -> dict:
    """The rep's coaching commitments due in the period: counts per outcome, and the list."""
    rows = list(commitments_due(rep, start, end).order_by("due_on", "pk"))
    counts = {status: 0 for status in CommitmentStatus.values}
    for row in rows:
        counts[row.status] += 1
    return {
        "counts": counts,
        "items": [
            {
                "id": row.pk,
                "text": row.text,
                "due_on": row.due_on.isoformat(),
                "status": row.status,
                "closed_on": row.closed_on.isoformat() if row.closed_on else None,
            }
            for row in rows
        ],
    }


def _plans(rep: Person, start: dt.date, end: dt.date) -> list[dict]:
    plans = (
        CoachingPlan.objects.filter(rep=rep, start__lte=end)
        .exclude(status=PlanStatus.CANCELLED)
        .select_related("baseline__template", "reevaluation__template")
        .order_by("start", "pk")
    )
    found = []
    for plan in plans:
        if plan.status == PlanStatus.REEVALUATED and plan.reevaluate_on < start:
            continue  # finished before the period
        after = (
            standing_version(plan.reevaluation) if plan.status == PlanStatus.REEVALUATED else None
        )
        rows = compare(plan, after=after) if after is not None else []
        found.append(
            {
                "id": plan.pk,
                "goal": plan.goal,
                "start": plan.start.isoformat(),
                "reevaluate_on": plan.reevaluate_on.isoformat(),
                "status": plan.status,
                "outcome": plan.outcome,
                "levels": plan.baseline.template.levels,
                "counts": change_counts(rows) if rows else None,
                "competencies": [
                    {
                        "name": row.name,
                        "before": row.before,
                        "after": row.after,
                        "change": row.change,
                    }
                    for row in rows
                    if row.focus
                ],
            }
        )
    return found


def assemble(review: Review, today: dt.date | None = None) -> dict:
    """Everything the review shows for its period, as JSON (what `share` freezes)."""
    rep = review.rep
    today = today or today_for(review.organisation)
    start, end = review.period_start, review.period_end
    in_period = (
        assessing.standing(Assessment.objects.filter(rep=rep))
        .filter(cycle_start__lte=end, cycle_end__gte=start)
        .select_related("rater", "template")
        .prefetch_related("ratings")
        .order_by("-cycle_start", "-submitted_at", "-pk")
    )
    by_kind: dict[str, list[Assessment]] = {}
    for assessment in in_period:
        by_kind.setdefault(assessment.kind, []).append(assessment)
    manager = next(iter(by_kind.get(AssessmentKind.MANAGER, [])), None)
    own = next(iter(by_kind.get(AssessmentKind.SELF, [])), None)
    peers = by_kind.get(AssessmentKind.PEER, [])
    return {
        "version": RECORD_VERSION,
        "rep": rep.name,
        "manager": review.manager.name,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "assembled_on": today.isoformat(),
        "currency": review.organisation.currency,
        "kpis": _kpis(review, today),
        "ratings": _assessment(manager),
        "self": _assessment(own),
        "peers": [_assessment(p, show_rater=not p.anonymous) for p in peers],
        "observations": len(by_kind.get(AssessmentKind.OBSERVATION, [])),
        "plans": _plans(rep, start, end),
        "commitments": commitments_kept(rep, start, end),
    }


def content(review: Review, today: dt.date | None = None) -> dict:
    """What the page shows: the frozen record once shared, the live assembly while a draft."""
    if review.status != ReviewStatus.DRAFT and review.record:
        return review.record
    return assemble(review, today)


def save_summary(review: Review, *, by: Person, summary: str) -> Review:
    if not can_write_review(by, review):
        raise PermissionDenied("Only a manager of the rep writes the review.")
    review.summary = (summary or "").strip()
    review.save()
    return review


@transaction.atomic
def share(review: Review, *, by: Person, summary: str | None = None) -> Review:
    """Freeze the assembled record and show the review to the rep."""
    if not can_write_review(by, review):
        raise PermissionDenied("Only a manager of the rep shares the review.")
    locked = Review.objects.select_for_update().values_list("status", flat=True)
    if locked.get(pk=review.pk) != ReviewStatus.DRAFT:
        raise ValidationError(_("This review is shared already."))
    if summary is not None:
        review.summary = summary.strip()
    if not review.summary.strip():
        raise ValidationError({"summary": _("Write the summary before sharing the review.")})
    review.record = assemble(review)
    review.status = ReviewStatus.SHARED
    review.shared_at = timezone.now()
    review.save()
    return review


@transaction.atomic
def acknowledge(review: Review, *, by: Person, comment: str = "") -> Review:
    """The rep has read their shared review; their comment is kept with it."""
    if not can_acknowledge_review(by, review):
        if by is not None and by.pk == review.rep_id:
            raise ValidationError(_("Only a shared review is acknowledged, once."))
        raise PermissionDenied("Only the rep acknowledges their review.")
    review.rep_comment = (comment or "").strip()
    review.status = ReviewStatus.ACKNOWLEDGED
    review.acknowledged_at = timezone.now()
    review.save()
    return review


def add_commitment(
    review: Review,
    *,
    by: Person,
    text: str,
    due_on: dt.date | None,
    today: dt.date | None = None,
) -> Commitment:
    """A commitment of the rep that came out of the review."""
    if not can_write_review(by, review):
        raise PermissionDenied("Only a manager of the rep adds commitments to the review.")
    commitment = make_commitment(by=by, owner=review.rep, text=text, due_on=due_on, today=today)
    ReviewCommitment.objects.create(
        organisation_id=review.organisation_id, review=review, commitment=commitment
    )
    return commitment


def review_commitments(review: Review):
    return Commitment.objects.filter(review_link__review=review).order_by("due_on", "pk")


def history(reviews: list[Review]) -> tuple[list[str], list[dict]]:
    """Competency levels across a rep's reviews, oldest first: (competency names, rows)."""
    names: list[str] = []
    rows = []
    for review in sorted(reviews, key=lambda r: r.period_start):
        record = review.record or {}
        ratings = record.get("ratings") or {}
        levels = {c["name"]: c["level"] for c in ratings.get("competencies", [])}
        for name in levels:
            if name not in names:
                names.append(name)
        counts = (record.get("commitments") or {}).get("counts") or {}
        rows.append(
            {
                "review": review,
                "levels": levels,
                "scale": ratings.get("levels") or [],
                "done": counts.get(CommitmentStatus.DONE, 0),
                "due": sum(counts.values()) if counts else 0,
            }
        )
    return names, rows
