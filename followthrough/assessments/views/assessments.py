"""Pages: assessments, ratings and the side-by-side comparison (focus areas: views/focus.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from followthrough.assessments import assessing, checklist, rights
from followthrough.assessments.forms_assessments import (
    CorrectForm,
    NewAssessmentForm,
    PeerRequestForm,
    RatingForm,
    with_errors,
)
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    FocusArea,
)
from followthrough.assessments.texts import level_label, shown
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.web.decorators import person_required

PER_PAGE = 50


def rater_name(viewer: Person, assessment: Assessment) -> str:
    """The rater's name, or "A peer" for an anonymous peer review read by its rep."""
    if not rights.can_see_rater(viewer, assessment):
        return _("A peer")
    return assessment.rater.name


def _cycles(org) -> list:
    current = checklist.current_cycle(org)
    return [current, checklist.previous_cycle(current, org)]


def _rep_for(request, param: str = "rep") -> Person | None:
    me = request.person
    raw = request.GET.get(param) or request.POST.get(param)
    if not raw:
        return None
    rep = get_object_or_404(Person, pk=parse_id(raw) or 0, organisation_id=me.organisation_id)
    if not rights.can_coach(me, rep):
        raise PermissionDenied(_("You may assess only the people reporting to you."))
    return rep


# The list


@person_required
def assessment_list(request):
    me = request.person
    visible = checklist.visible_assessments(me)
    rows = visible
    params = request.GET
    rep_id = parse_id(params.get("rep"))
    if rep_id:
        rows = rows.filter(rep_id=rep_id)
    kind = params.get("kind") or ""
    if kind in AssessmentKind.values:
        rows = rows.filter(kind=kind)
    status = params.get("status") or ""
    if status in AssessmentStatus.values:
        rows = rows.filter(status=status)
    cycle = params.get("cycle") or ""
    try:
        rows = rows.filter(cycle_start=dt.date.fromisoformat(cycle)) if cycle else rows
    except ValueError:
        cycle = ""
    rows = rows.select_related("rep", "rater", "requested_by").order_by(
        "-cycle_start", "rep__name", "kind", "-version", "pk"
    )
    page = Paginator(rows, PER_PAGE).get_page(params.get("page"))
    for row in page:
        row.rater_shown = rater_name(me, row)
    people = list(
        Person.objects.filter(pk__in=visible.values("rep_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    cycles = list(visible.order_by("-cycle_start").values_list("cycle_start", flat=True).distinct())
    asked = list(
        checklist.asked_of(me).select_related("rep", "requested_by").order_by("cycle_start", "pk")
    )
    context = {
        "page": page,
        "people": people,
        "cycles": cycles,
        "kinds": AssessmentKind.choices,
        "statuses": AssessmentStatus.choices,
        "filters": {"rep": rep_id, "kind": kind, "status": status, "cycle": cycle},
        "filtered": bool(rep_id or kind or status or cycle),
        "asked": asked,
        "hidden": checklist.hidden_until_self(me),
        "manages": me.role in rights.MANAGING_ROLES,
    }
    return render(request, "assessments/assessments/list.html", context)


# Starting: a manager assessment, an observation, a self-assessment asked for, peers


@person_required(roles=rights.MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def assessment_new(request):
    me = request.person
    rep = _rep_for(request)
    if rep is None:
        reps = checklist.assessable_reps(me)
        return render(request, "assessments/assessments/new.html", {"reps": reps, "rep": None})
    today = today_for(me.organisation)
    initial = {"kind": request.GET.get("kind") or AssessmentKind.MANAGER}
    form = NewAssessmentForm(
        request.POST or None, rep=rep, cycles=_cycles(me.organisation), today=today, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == AssessmentKind.SELF:
                checklist.ask_self_assessment(by=me, rep=rep, cycle=data["cycle"])
            else:
                made = checklist.start_assessment(
                    by=me,
                    rep=rep,
                    kind=data["kind"],
                    cycle=data["cycle"],
                    ask_self_first=data["kind"] == AssessmentKind.MANAGER
                    and data["ask_self_first"],
                    **form.details(),
                )
        except ValidationError as error:
            with_errors(form, error)
        else:
            if data["kind"] == AssessmentKind.SELF:
                messages.success(
                    request, _("%(name)s is asked for a self-assessment.") % {"name": rep.name}
                )
                return redirect(reverse("assessment_list") + f"?rep={rep.pk}")
            return redirect("assessment_rate", made.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "rep": rep}
    return render(request, "assessments/assessments/new.html", context, status=status)


@person_required(roles=rights.MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def assessment_peers(request):
    me = request.person
    rep = _rep_for(request)
    if rep is None:
        return redirect("assessment_new")
    candidates = checklist.peer_candidates(rep).exclude(pk=me.pk)
    form = PeerRequestForm(
        request.POST or None, candidates=candidates, cycles=_cycles(me.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = checklist.request_peer_reviews(
                by=me, rep=rep, peers=list(data["peers"]), cycle=data["cycle"]
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d peer is asked to review %(name)s.",
                    "%(count)d peers are asked to review %(name)s.",
                    len(made),
                )
                % {"count": len(made), "name": rep.name},
            )
            return redirect(reverse("assessment_list") + f"?rep={rep.pk}")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "rep": rep}
    return render(request, "assessments/assessments/peers.html", context, status=status)


@person_required
@require_http_methods(["GET", "POST"])
def assessment_self(request):
    """The logged-in person's self-assessment for the current cycle: opened, or started."""
    me = request.person
    cycle = checklist.current_cycle(me.organisation)
    existing = (
        Assessment.objects.filter(
            organisation_id=me.organisation_id,
            rep=me,
            rater=me,
            kind=AssessmentKind.SELF,
            cycle_start=cycle.start,
        )
        .exclude(status=AssessmentStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return redirect(
            "assessment_rate" if existing.status == AssessmentStatus.DRAFT else "assessment",
            existing.pk,
        )
    error = None
    if request.method == "POST":
        try:
            made = checklist.ask_self_assessment(by=me, rep=me, cycle=cycle)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect("assessment_rate", made.pk)
    context = {"cycle": cycle, "error": error}
    return render(
        request, "assessments/assessments/self.html", context, status=400 if error else 200
    )


# One assessment


def _assessment(request, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related(
            "rep", "rater", "requested_by", "template", "deal", "activity"
        ),
        pk=pk,
        organisation_id=request.person.organisation_id,
    )


def _ratings_shown(assessment: Assessment) -> list[dict]:
    """The assessment's ratings by sales step, with the level's label and behaviour."""
    ratings = {r.competency_id: r for r in assessment.ratings.all()}
    levels = assessment.template.levels
    sections: list[dict] = []
    for c in assessment.template.competencies:
        if not sections or sections[-1]["raw"] != c["section"]:
            sections.append({"name": shown(c["section"]), "raw": c["section"], "rows": []})
        rating = ratings.get(c["id"])
        level = rating.level if rating else ""
        sections[-1]["rows"].append(
            {
                "id": c["id"],
                "name": shown(c["name"]),
                "rating": rating,
                "level": level,
                "label": level_label(levels, level) if level else "",
                "behaviour": shown(c.get("behaviours", {}).get(level, "")) if level else "",
            }
        )
    return sections


def _comparison(assessment: Assessment) -> list[dict]:
    levels = assessment.template.levels
    return [
        {
            "name": shown(row.name),
            "section": shown(row.section),
            "self": level_label(levels, row.self_level) if row.self_level else "",
            "self_key": row.self_level,
            "manager": level_label(levels, row.manager_level) if row.manager_level else "",
            "manager_key": row.manager_level,
            "peers": [(key, level_label(levels, key)) for key in row.peer_levels],
        }
        for row in checklist.comparison(assessment)
    ]


@person_required
def assessment_detail(request, pk: int):
    me = request.person
    assessment = _assessment(request, pk)
    if not rights.can_view_assessment(me, assessment):
        if (
            me.pk == assessment.rep_id
            and assessment.kind == AssessmentKind.MANAGER
            and assessment.is_submitted
        ):
            # The self-first rule: say why, and where to write it.
            return render(
                request,
                "assessments/assessments/hidden.html",
                {"assessment": assessment},
                status=403,
            )
        raise PermissionDenied(_("You may not see this assessment."))
    if rights.can_edit_assessment(me, assessment):
        return redirect("assessment_rate", assessment.pk)
    coach = rights.can_coach(me, assessment.rep)
    focus = list(
        FocusArea.objects.filter(assessment=assessment).select_related("competency").order_by("pk")
    )
    for area in focus:
        area.name = shown(area.competency.name)
    context = {
        "assessment": assessment,
        "rater": rater_name(me, assessment),
        "sections": _ratings_shown(assessment),
        "private_note": assessment.private_note
        if rights.can_view_private_note(me, assessment)
        else None,
        "can_correct": rights.can_correct_assessment(me, assessment),
        "versions": checklist.versions_of(assessment),
        "compare": _comparison(assessment) if rights.above_rep(me, assessment.rep) else None,
        "can_pick_focus": coach and assessment.status == AssessmentStatus.SUBMITTED,
        "focus": focus,
        "is_rep": me.pk == assessment.rep_id,
    }
    return render(request, "assessments/assessments/detail.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def assessment_rate(request, pk: int):
    me = request.person
    assessment = _assessment(request, pk)
    if not rights.can_view_assessment(me, assessment):
        raise PermissionDenied(_("You may not see this assessment."))
    if not rights.can_edit_assessment(me, assessment):
        if assessment.is_submitted:
            return redirect("assessment", assessment.pk)
        raise PermissionDenied(_("Only its rater writes this assessment."))
    form = RatingForm(request.POST or None, assessment=assessment)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if form.is_valid():
            try:
                with transaction.atomic():
                    _save_draft(assessment, form)
                if action == "submit":
                    form.mark_unrated()
                    if not form.errors:
                        assessing.submit(assessment)
            except ValidationError as error:
                with_errors(form, error)
            if not form.errors:
                if action == "submit":
                    messages.success(request, _("Assessment submitted."))
                    return redirect("assessment", assessment.pk)
                messages.success(request, _("Draft saved."))
                return redirect("assessment_rate", assessment.pk)
            if action == "submit" and not form.non_field_errors():
                form.add_error(
                    None,
                    _("Rate every competency first; %(count)d still open.")
                    % {"count": len(form.errors)},
                )
        status = 400
    context = {
        "assessment": assessment,
        "form": form,
        "groups": form.groups(),
        "rater": rater_name(me, assessment),
    }
    return render(request, "assessments/assessments/rate.html", context, status=status)


def _save_draft(assessment: Assessment, form: RatingForm) -> None:
    for competency_id, level, evidence in form.chosen():
        try:
            assessing.rate(assessment, competency_id, level, evidence)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "level" in error.error_dict:
                form.add_error(f"level_{competency_id}", error.error_dict["level"])
            else:
                raise
    changed = []
    for name in ("summary", "private_note"):
        if name in form.fields and getattr(assessment, name) != form.cleaned_data[name]:
            setattr(assessment, name, form.cleaned_data[name])
            changed.append(name)
    if changed:
        assessment.save(update_fields=[*changed, "updated_at"])
    if form.errors:
        raise ValidationError(_("Some ratings were not saved: see the marked competencies."))


@person_required
@require_http_methods(["GET", "POST"])
def assessment_correct(request, pk: int):
    me = request.person
    assessment = _assessment(request, pk)
    if not rights.can_view_assessment(me, assessment):
        raise PermissionDenied(_("You may not see this assessment."))
    if not rights.can_correct_assessment(me, assessment):
        raise PermissionDenied(_("Only its rater corrects a submitted assessment."))
    form = CorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fresh = assessing.correct(assessment, form.cleaned_data["correction_reason"])
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("A new version to correct: change it, then submit it."))
            return redirect("assessment_rate", fresh.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "assessment": assessment}
    return render(request, "assessments/assessments/correct.html", context, status=status)
