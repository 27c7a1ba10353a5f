"""Coaching plans: three to six months on a rep's focus areas, then the same checklist again.

A manager starts a plan from a submitted baseline (a manager assessment or an
observation): what should change, the focus areas it works on (the rep's active ones,
or new ones picked from the baseline's competencies within the team's focus limit) and
the commitments made for it. At the re-evaluation date the manager assesses the rep on
the same template version as the baseline; once that is submitted the plan is closed
with an outcome, and the plan page compares before and after, competency by
competency, beside the linked metrics' monthly trend over the plan.

Rights are checked here too (`can_coach`), so the pages, the API and the demo share
one path; refusals of input are ValidationErrors keyed by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from followthrough.assessments import assessing
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSettings,
    AssessmentStatus,
    CoachingPlan,
    FocusArea,
    FocusStatus,
    PlanCommitment,
    PlanStatus,
    Rating,
)
from followthrough.assessments.models.rubrics import FOCUS_LIMIT
from followthrough.assessments.rights import can_coach
from followthrough.coaching.commitments import make_commitment
from followthrough.coaching.models import Commitment
from followthrough.lib.periods import Period, PeriodKind, add_months, period_of
from followthrough.metrics import engine
from followthrough.metrics.labels import format_value, short_period_label
from followthrough.people.lines import team_on, today_for
from followthrough.people.models import Person

# A plan starts from what the manager saw: their own assessment or an observation.
BASELINE_KINDS = (AssessmentKind.MANAGER, AssessmentKind.OBSERVATION)
UP, DOWN, SAME = "up", "down", "same"


def focus_limit(rep: Person, day: dt.date) -> int:
    """How many focus areas the rep's team works on at once (AssessmentSettings, else 3)."""
    team = team_on(rep, day)
    found = AssessmentSettings.objects.filter(team=team).first() if team else None
    return found.focus_limit if found else FOCUS_LIMIT


def standing_version(assessment: Assessment | None) -> Assessment | None:
    """The version that stands now: a corrected assessment gives way to its correction."""
    while assessment is not None and assessment.status == AssessmentStatus.SUPERSEDED:
        assessment = Assessment.objects.filter(supersedes=assessment).first()
    return assessment


def baselines_for(rep: Person):
    """Submitted assessments a plan for `rep` may start from, newest first."""
    return assessing.standing(
        Assessment.objects.filter(
            organisation_id=rep.organisation_id, rep=rep, kind__in=BASELINE_KINDS
        )
    ).order_by("-cycle_start", "-submitted_at", "-pk")


def check_baseline(rep: Person, baseline: Assessment | None) -> None:
    if baseline is None or baseline.rep_id != rep.pk:
        raise ValidationError({"baseline": _("Choose a submitted assessment of this rep.")})
    if baseline.kind not in BASELINE_KINDS or baseline.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(
            {"baseline": _("Start from a submitted manager assessment or observation.")}
        )


@dataclass(frozen=True)
class NewCommitment:
    text: str
    due_on: dt.date | None


@transaction.atomic
def create_plan(
    *,
    by: Person,
    rep: Person,
    baseline: Assessment | None,
    goal: str,
    start: dt.date | None,
    reevaluate_on: dt.date | None,
    focus_ids: list[int] | tuple = (),
    competency_ids: list[int] | tuple = (),
    commitments: list[NewCommitment] | tuple = (),
    today: dt.date | None = None,
) -> CoachingPlan:
    """A new active plan with its focus areas and commitments; all or nothing."""
    if not can_coach(by, rep):
        raise PermissionDenied("Only a manager of the rep starts a coaching plan.")
    today = today or today_for(rep.organisation)
    check_baseline(rep, baseline)
    if not (goal or "").strip():
        raise ValidationError({"goal": _("Say what should change.")})
    plan = CoachingPlan(
        organisation_id=rep.organisation_id,
        rep=rep,
        manager=by,
        goal=goal.strip(),
        start=start,
        reevaluate_on=reevaluate_on,
        baseline=baseline,
    )
    plan.full_clean()
    plan.save()
    attach_focus(plan, by=by, focus_ids=focus_ids, competency_ids=competency_ids, today=today)
    for item in commitments:
        add_commitment(plan, by=by, text=item.text, due_on=item.due_on, today=today)
    return plan


def attach_focus(
    plan: CoachingPlan,
    *,
    by: Person,
    focus_ids: list[int] | tuple = (),
    competency_ids: list[int] | tuple = (),
    today: dt.date,
) -> list[FocusArea]:
    """Link the rep's active focus areas, and pick new ones from the baseline's competencies."""
    rep = plan.rep
    # Open on `today`: a plan recorded for an earlier day does not see areas picked later.
    active = FocusArea.objects.filter(rep=rep, status=FocusStatus.ACTIVE, picked_on__lte=today)
    chosen = list(active.filter(pk__in=list(focus_ids)))
    if len(chosen) != len(set(focus_ids)):
        raise ValidationError({"focus_areas": _("Choose among the rep's active focus areas.")})
    snapshot = {c["id"]: c for c in plan.baseline.template.competencies}
    taken = set(active.values_list("competency_id", flat=True))
    new_ids = [cid for cid in dict.fromkeys(competency_ids) if cid not in taken]
    if any(cid not in snapshot for cid in new_ids):
        raise ValidationError(
            {"competencies": _("Choose competencies of the baseline's template.")}
        )
    limit = focus_limit(rep, today)
    if len(taken) + len(new_ids) > limit:
        raise ValidationError(
            {
                "competencies": _(
                    "The team works on at most %(limit)d focus areas at a time; "
                    "%(count)d are open already."
                )
                % {"limit": limit, "count": len(taken)}
            }
        )
    if not chosen and not new_ids and not plan.focus_areas.exists():
        raise ValidationError(
            {"competencies": _("Pick at least one focus area for the plan to work on.")}
        )
    for focus in chosen:
        focus.plan = plan
        focus.save()
    for cid in new_ids:
        chosen.append(
            FocusArea.objects.create(
                organisation_id=plan.organisation_id,
                rep=rep,
                competency_id=cid,
                metric_key=snapshot[cid].get("metric") or "",
                assessment=plan.baseline,
                plan=plan,
                picked_by=by,
                picked_on=today,
            )
        )
    return chosen


def add_commitment(
    plan: CoachingPlan,
    *,
    by: Person,
    text: str,
    due_on: dt.date | None,
    today: dt.date | None = None,
) -> Commitment:
    """A coaching commitment of the rep, made for the plan (the commitments page counts it)."""
    if not can_coach(by, plan.rep):
        raise PermissionDenied("Only a manager of the rep adds to the plan.")
    commitment = make_commitment(by=by, owner=plan.rep, text=text, due_on=due_on, today=today)
    PlanCommitment.objects.create(
        organisation_id=plan.organisation_id, plan=plan, commitment=commitment
    )
    return commitment


@transaction.atomic
def update_plan(
    plan: CoachingPlan, *, by: Person, goal: str, start: dt.date | None, reevaluate_on
) -> CoachingPlan:
    if not can_coach(by, plan.rep):
        raise PermissionDenied("Only a manager of the rep edits the plan.")
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("A closed plan no longer changes."))
    if not (goal or "").strip():
        raise ValidationError({"goal": _("Say what should change.")})
    plan.goal, plan.start, plan.reevaluate_on = goal.strip(), start, reevaluate_on
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def reevaluate(plan: CoachingPlan, *, by: Person, today: dt.date | None = None) -> Assessment:
    """A manager assessment on the baseline's template version: the same checklist again."""
    if not can_coach(by, plan.rep):
        raise PermissionDenied("Only a manager of the rep re-evaluates.")
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is closed."))
    current = standing_version(plan.reevaluation)
    if current is not None:
        return current  # already started: carry on with it
    today = today or today_for(plan.organisation)
    cycle = period_of(PeriodKind.QUARTER, today)
    assessment = assessing.start(
        rep=plan.rep,
        rater=by,
        kind=AssessmentKind.MANAGER,
        template=plan.baseline.template,
        cycle_start=cycle.start,
        cycle_end=cycle.end,
    )
    plan.reevaluation = assessment
    plan.save()
    return assessment


@transaction.atomic
def close_plan(
    plan: CoachingPlan, *, by: Person, outcome: str, today: dt.date | None = None
) -> CoachingPlan:
    """Close as re-evaluated (the re-evaluation submitted), with what came of it.

    Focus areas whose level went up are marked achieved; the others stay open for the
    next plan.
    """
    if not can_coach(by, plan.rep):
        raise PermissionDenied("Only a manager of the rep closes the plan.")
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is closed."))
    after = standing_version(plan.reevaluation)
    if after is None or after.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("Submit the re-evaluation before closing the plan."))
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("Say what came of the plan.")})
    today = today or today_for(plan.organisation)
    plan.reevaluation = after
    plan.outcome = outcome.strip()
    plan.status = PlanStatus.REEVALUATED
    plan.save()
    improved = {row.competency_id for row in compare(plan) if row.change == UP}
    for focus in plan.focus_areas.filter(status=FocusStatus.ACTIVE, competency_id__in=improved):
        focus.status, focus.closed_on = FocusStatus.ACHIEVED, today
        focus.save()
    return plan


@transaction.atomic
def cancel_plan(plan: CoachingPlan, *, by: Person) -> CoachingPlan:
    if not can_coach(by, plan.rep):
        raise PermissionDenied("Only a manager of the rep cancels the plan.")
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("This plan is closed."))
    plan.status = PlanStatus.CANCELLED
    plan.save()
    return plan


# Before and after


@dataclass(frozen=True)
class Comparison:
    """One competency of the checklist: its level before the plan and at the re-evaluation."""

    competency_id: int
    section: str
    name: str
    focus: bool
    before: str
    after: str
    change: str  # up, down, same, or "" while either side is missing
    evidence_before: str
    evidence_after: str


def level_rank(levels: list[dict], key: str) -> int | None:
    keys = [level["key"] for level in levels]
    return keys.index(key) if key in keys else None


def change_between(levels: list[dict], before: str, after: str) -> str:
    low, high = level_rank(levels, before), level_rank(levels, after)
    if low is None or high is None:
        return ""
    return UP if high > low else DOWN if high < low else SAME


def compare(plan: CoachingPlan, *, after: Assessment | None = None) -> list[Comparison]:
    """Competency by competency, the baseline's level beside the re-evaluation's (one query)."""
    baseline = plan.baseline
    after = after if after is not None else standing_version(plan.reevaluation)
    ids = [baseline.pk] + ([after.pk] if after is not None else [])
    ratings = {
        (r.assessment_id, r.competency_id): r for r in Rating.objects.filter(assessment_id__in=ids)
    }
    focus = set(plan.focus_areas.values_list("competency_id", flat=True))
    levels = baseline.template.levels
    rows = []
    for competency in baseline.template.competencies:
        cid = competency["id"]
        before = ratings.get((baseline.pk, cid))
        later = ratings.get((after.pk, cid)) if after is not None else None
        before_level = before.level if before else ""
        after_level = later.level if later else ""
        rows.append(
            Comparison(
                competency_id=cid,
                section=competency.get("section", ""),
                name=competency["name"],
                focus=cid in focus,
                before=before_level,
                after=after_level,
                change=change_between(levels, before_level, after_level),
                evidence_before=before.evidence if before else "",
                evidence_after=later.evidence if later else "",
            )
        )
    # Focus areas first: they are what the plan worked on.
    return sorted(rows, key=lambda row: not row.focus)


def change_counts(rows: list[Comparison]) -> dict[str, int]:
    return {kind: sum(1 for row in rows if row.change == kind) for kind in (UP, SAME, DOWN)}


# Metric trends over the plan


@dataclass(frozen=True)
class Trend:
    """A linked metric, month by month over the plan."""

    key: str
    name: str
    unit: str
    labels: tuple[str, ...]
    values: tuple[Decimal | None, ...]
    shown: tuple[str, ...]

    @property
    def first(self) -> str:
        return next((s for s, v in zip(self.shown, self.values, strict=True) if v is not None), "—")

    @property
    def last(self) -> str:
        return next(
            (
                s
                for s, v in zip(reversed(self.shown), reversed(self.values), strict=True)
                if v is not None
            ),
            "—",
        )

    @property
    def chart(self) -> SafeString:
        return line_chart(self.values, self.labels, self.shown, title=self.name)


def plan_months(plan: CoachingPlan, today: dt.date) -> list[Period]:
    """Calendar months from the plan's start to its re-evaluation (or today, if sooner)."""
    end = min(plan.reevaluate_on, today) if plan.status == PlanStatus.ACTIVE else plan.reevaluate_on
    end = max(end, plan.start)
    months, first = [], plan.start.replace(day=1)
    while first <= end:
        months.append(period_of(PeriodKind.MONTH, first))
        first = add_months(first, 1)
    return months


def plan_metric_keys(plan: CoachingPlan) -> list[str]:
    keys = plan.focus_areas.exclude(metric_key="").values_list("metric_key", flat=True)
    return list(dict.fromkeys(sorted(keys)))


def metric_trends(plan: CoachingPlan, today: dt.date, currency: str = "") -> list[Trend]:
    """Each linked metric's monthly values over the plan: one engine call for all of them."""
    org = plan.organisation
    catalog = engine.get_metrics(org)
    keys = [key for key in plan_metric_keys(plan) if key in catalog]
    months = plan_months(plan, today)
    if not keys or not months:
        return []
    results = engine.compute(org, keys, months, [plan.rep_id])
    labels = tuple(short_period_label(month) for month in months)
    trends = []
    for key in keys:
        metric = catalog[key]
        values = tuple(results.get(plan.rep_id, key, month).value for month in months)
        trends.append(
            Trend(
                key=key,
                name=metric.label,
                unit=str(metric.unit),
                labels=labels,
                values=values,
                shown=tuple(format_value(v, str(metric.unit), currency) for v in values),
            )
        )
    return trends


CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 260, 72, 8


def line_chart(
    values: tuple[Decimal | None, ...],
    labels: tuple[str, ...],
    shown: tuple[str, ...],
    *,
    title: str = "",
) -> SafeString:
    """A small SVG line chart drawn on the server: no script, prints as it shows."""
    known = [float(v) for v in values if v is not None]
    if not known:
        return format_html('<p class="subtle">{}</p>', _("No figures yet."))
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    count = len(values)
    step = (CHART_WIDTH - 2 * CHART_PAD) / max(count - 1, 1)
    inner = CHART_HEIGHT - 2 * CHART_PAD - 14

    def point(index: int, value: Decimal) -> tuple[float, float]:
        x = CHART_PAD + index * step if count > 1 else CHART_WIDTH / 2
        y = CHART_PAD + inner - (float(value) - low) / span * inner
        return round(x, 1), round(y, 1)

    points = [(i, point(i, v)) for i, v in enumerate(values) if v is not None]
    # A month without a figure breaks the line rather than joining across it.
    segments, current, previous = [], [], None
    for index, xy in points:
        if previous is not None and index != previous + 1:
            segments.append(current)
            current = []
        current.append(xy)
        previous = index
    segments.append(current)
    lines = format_html_join(
        "",
        '<polyline class="trend-line" fill="none" points="{}"/>',
        ((" ".join(f"{x},{y}" for x, y in seg),) for seg in segments if len(seg) > 1),
    )
    dots = format_html_join(
        "",
        '<circle class="trend-dot" cx="{}" cy="{}" r="3"><title>{}: {}</title></circle>',
        ((x, y, labels[i], shown[i]) for i, (x, y) in points),
    )
    axis = format_html(
        '<text class="trend-axis" x="{}" y="{}">{}</text>'
        '<text class="trend-axis" x="{}" y="{}" text-anchor="end">{}</text>',
        CHART_PAD,
        CHART_HEIGHT - 2,
        labels[0],
        CHART_WIDTH - CHART_PAD,
        CHART_HEIGHT - 2,
        labels[-1],
    )
    # Read out in full by screen readers: every month with its figure.
    described = "; ".join(f"{label}: {text}" for label, text in zip(labels, shown, strict=True))
    return format_html(
        '<svg class="trend-chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}"><desc>{}</desc>{}{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        CHART_WIDTH,
        CHART_HEIGHT,
        title,
        described,
        lines,
        dots,
        axis,
    )


def plan_commitments(plan: CoachingPlan):
    return Commitment.objects.filter(plan_link__plan=plan).order_by("due_on", "pk")


def plans_visible(viewer: Person):
    from followthrough.assessments.rights import visible_filter

    return CoachingPlan.objects.filter(visible_filter(viewer, "rep"))
