"""Pages: coaching plans (the rep and their line read; the rep's managers write)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.assessments import plans as logic
from followthrough.assessments import rights
from followthrough.assessments.forms_plans import (
    CloseForm,
    CommitmentLineForm,
    PlanEditForm,
    PlanForm,
    with_errors,
)
from followthrough.assessments.models import (
    CoachingPlan,
    FocusArea,
    FocusStatus,
    PlanStatus,
)
from followthrough.assessments.texts import level_label, shown
from followthrough.coaching import commitments as commitment_logic
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import months_after
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.web.decorators import person_required

PER_PAGE = 50


def assessment_url(pk: int | None) -> str | None:
    return reverse("assessment", args=[pk]) if pk is not None else None


def coachable(viewer: Person):
    """Active people the viewer may coach (start plans and reviews for), by name."""
    people = access.visible_people(viewer).filter(is_active=True).exclude(pk=viewer.pk)
    return [p for p in people.order_by("name") if rights.can_coach(viewer, p)]


def _plan(request, pk: int) -> CoachingPlan:
    me = request.person
    plan = get_object_or_404(
        CoachingPlan.objects.select_related(
            "rep__organisation", "manager", "baseline__template", "baseline__rater"
        ),
        pk=pk,
        organisation_id=me.organisation_id,
    )
    if not rights.can_view_coaching_records(me, plan.rep):
        raise PermissionDenied
    return plan


def _coached_plan(request, pk: int) -> CoachingPlan:
    plan = _plan(request, pk)
    if not rights.can_coach(request.person, plan.rep):
        raise PermissionDenied
    return plan


@person_required
def plan_list(request):
    me = request.person
    rows = logic.plans_visible(me)
    person = parse_id(request.GET.get("person"))
    if person:
        rows = rows.filter(rep_id=person)
    status = request.GET.get("status") or ""
    if status in PlanStatus.values:
        rows = rows.filter(status=status)
    rows = rows.select_related("rep", "manager").order_by("status", "-start", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    people = list(
        Person.objects.filter(pk__in=logic.plans_visible(me).values("rep_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    context = {
        "page": page,
        "person": person,
        "status": status,
        "statuses": PlanStatus.choices,
        "people": people,
        "reps": coachable(me) if me.role in rights.MANAGING_ROLES else [],
        "today": today_for(me.organisation),
    }
    return render(request, "assessments/plans/list.html", context)


def _competency_choices(baseline) -> list[tuple[int, str]]:
    if baseline is None:
        return []
    return [
        (c["id"], f"{shown(c.get('section', ''))} · {shown(c['name'])}")
        for c in baseline.template.competencies
    ]


@person_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    me = request.person
    rep = get_object_or_404(
        Person,
        pk=parse_id(request.GET.get("rep") or request.POST.get("rep")) or 0,
        organisation_id=me.organisation_id,
    )
    if not rights.can_coach(me, rep):
        raise PermissionDenied
    today = today_for(me.organisation)
    baselines = logic.baselines_for(rep).select_related("rater", "template")
    chosen = parse_id(request.POST.get("baseline") or request.GET.get("baseline"))
    baseline = baselines.filter(pk=chosen or 0).first() if chosen else baselines.first()
    focus = FocusArea.objects.filter(rep=rep, status=FocusStatus.ACTIVE).select_related(
        "competency"
    )
    limit = logic.focus_limit(rep, today)
    initial = {
        "baseline": baseline.pk if baseline else None,
        "start": today,
        "reevaluate_on": months_after(today, logic_default_months()),
    }
    form = PlanForm(
        request.POST or None,
        initial=initial,
        baselines=baselines,
        focus=focus,
        competencies=_competency_choices(baseline),
        limit=limit,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            lines = form.commitment_lines()
            if not form.errors:
                try:
                    plan = logic.create_plan(
                        by=me,
                        rep=rep,
                        baseline=data["baseline"],
                        goal=data["goal"],
                        start=data["start"],
                        reevaluate_on=data["reevaluate_on"],
                        focus_ids=[f.pk for f in data["focus_areas"]],
                        competency_ids=data["competencies"],
                        commitments=[logic.NewCommitment(text, due) for text, due, _i in lines],
                        today=today,
                    )
                except ValidationError as error:
                    _commitment_errors(form, error, lines, today)
                else:
                    messages.success(request, _("Coaching plan started."))
                    return redirect("plan", plan.pk)
        status = 400
    context = {"form": form, "rep": rep, "baseline": baseline, "limit": limit, "open": focus}
    return render(request, "assessments/plans/form.html", context, status=status)


def logic_default_months() -> int:
    # Midway through the three-to-six months a plan runs.
    return 4


def _commitment_errors(form, error: ValidationError, lines, today) -> None:
    """A commitment's refusal (its due date) goes on that commitment's own line."""
    placed = False
    if hasattr(error, "error_dict") and set(error.error_dict) <= {"due_on", "text"}:
        for _text, due, index in lines:
            try:
                commitment_logic.check_dates(due, today)
            except ValidationError as refusal:
                form.add_error(f"due_{index}", refusal.error_dict["due_on"])
                placed = True
    if not placed:
        with_errors(form, error)


def _view_levels(viewer: Person, plan: CoachingPlan, after) -> tuple[bool, bool]:
    """May the viewer see the levels before and after (a rep: once their own are in)?"""
    before = rights.can_view_assessment(viewer, plan.baseline)
    later = after is not None and rights.can_view_assessment(viewer, after)
    return before, later


@person_required
def plan_detail(request, pk: int):
    me = request.person
    plan = _plan(request, pk)
    today = today_for(me.organisation)
    after = logic.standing_version(plan.reevaluation)
    rows = logic.compare(plan, after=after if after and after.is_submitted else None)
    see_before, see_after = _view_levels(me, plan, after)
    levels = plan.baseline.template.levels
    shown_rows = [
        {
            "row": row,
            "name": shown(row.name),
            "section": shown(row.section),
            "before": level_label(levels, row.before) if see_before and row.before else "",
            "after": level_label(levels, row.after) if see_after and row.after else "",
            "change": row.change if see_before and see_after else "",
            "evidence_before": row.evidence_before if see_before else "",
            "evidence_after": row.evidence_after if see_after else "",
        }
        for row in rows
    ]
    commitments = list(logic.plan_commitments(plan))
    for commitment in commitments:
        commitment.overdue = commitment_logic.is_overdue(commitment, today)
        commitment.on_time = commitment_logic.kept_on_time(commitment)
    can_coach = rights.can_coach(me, plan.rep)
    focus = list(plan.focus_areas.select_related("competency"))
    for area in focus:
        area.label = shown(area.competency.name)
    reevaluation_submitted = after is not None and after.is_submitted
    context = {
        "plan": plan,
        "rows": shown_rows,
        "counts": logic.change_counts(rows) if reevaluation_submitted else None,
        "trends": logic.metric_trends(plan, today, plan.organisation.currency),
        "commitments": commitments,
        "focus": focus,
        "after": after,
        "reevaluation_submitted": reevaluation_submitted,
        "baseline_url": assessment_url(plan.baseline_id),
        "after_url": assessment_url(after.pk if after else None),
        "can_coach": can_coach,
        "is_active": plan.status == PlanStatus.ACTIVE,
        "due": plan.status == PlanStatus.ACTIVE and plan.reevaluate_on <= today,
        "private_note": plan.baseline.private_note
        if rights.can_view_private_note(me, plan.baseline)
        else "",
        "commitment_form": CommitmentLineForm() if can_coach else None,
        "today": today,
    }
    return render(request, "assessments/plans/detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    me = request.person
    plan = _coached_plan(request, pk)
    if plan.status != PlanStatus.ACTIVE:
        raise PermissionDenied
    form = PlanEditForm(
        request.POST or None,
        initial={"goal": plan.goal, "start": plan.start, "reevaluate_on": plan.reevaluate_on},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                logic.update_plan(plan, by=me, **form.cleaned_data)
            except ValidationError as error:
                with_errors(form, error)
            else:
                messages.success(request, _("Plan saved."))
                return redirect("plan", plan.pk)
        status = 400
    context = {"form": form, "plan": plan}
    return render(request, "assessments/plans/edit.html", context, status=status)


@person_required
@require_POST
def plan_reevaluate(request, pk: int):
    me = request.person
    plan = _coached_plan(request, pk)
    try:
        assessment = logic.reevaluate(plan, by=me)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plan", plan.pk)
    messages.success(
        request,
        _("Re-evaluation started on the same checklist: rate each competency, then submit it."),
    )
    # Straight to rating it: the same checklist as the baseline, competency by competency.
    return redirect("assessment_rate", assessment.pk)


@person_required
@require_http_methods(["GET", "POST"])
def plan_close(request, pk: int):
    me = request.person
    plan = _coached_plan(request, pk)
    form = CloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                logic.close_plan(plan, by=me, outcome=form.cleaned_data["outcome"])
            except ValidationError as error:
                with_errors(form, error)
            else:
                messages.success(request, _("Plan closed as re-evaluated."))
                return redirect("plan", plan.pk)
        status = 400
    after = logic.standing_version(plan.reevaluation)
    context = {"form": form, "plan": plan, "ready": after is not None and after.is_submitted}
    return render(request, "assessments/plans/close.html", context, status=status)


@person_required
@require_POST
def plan_commitment(request, pk: int):
    me = request.person
    plan = _coached_plan(request, pk)
    if plan.status != PlanStatus.ACTIVE:
        raise PermissionDenied
    form = CommitmentLineForm(request.POST)
    if form.is_valid():
        try:
            logic.add_commitment(plan, by=me, **form.cleaned_data)
        except ValidationError as error:
            with_errors(form, error)
    if form.errors:
        errors = [str(e) for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
        return redirect(reverse("plan", args=[plan.pk]) + "#commitments")
    messages.success(request, _("Commitment added to the plan."))
    return redirect(reverse("plan", args=[plan.pk]) + "#commitments")
