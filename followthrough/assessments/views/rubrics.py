"""Pages: rubrics and role scorecard templates.

Everyone in the organisation reads the standards; managers, leaders and admins adapt
them (rights.can_edit_standards). Views stay thin: forms check input, the plain
functions in rubric_editing and versions keep the rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.assessments import rights, rubric_editing, template_history
from followthrough.assessments.forms_rubrics import (
    CompetencyForm,
    LevelsForm,
    RubricForm,
    SectionForm,
    TemplateForm,
    add_errors,
)
from followthrough.assessments.models import Competency, Rubric, RubricSection, ScorecardTemplate
from followthrough.assessments.texts import shown
from followthrough.metrics.engine import get_metrics
from followthrough.web.decorators import person_required


def _editor(request) -> None:
    if not rights.can_edit_standards(request.person):
        raise PermissionDenied(_("Your role may not adapt the standards."))


def _rubric(request, pk: int) -> Rubric:
    return get_object_or_404(Rubric, organisation_id=request.person.organisation_id, pk=pk)


def _section(request, pk: int) -> RubricSection:
    return get_object_or_404(
        RubricSection.objects.select_related("rubric"),
        organisation_id=request.person.organisation_id,
        pk=pk,
    )


def _competency(request, pk: int) -> Competency:
    return get_object_or_404(
        Competency.objects.select_related("section__rubric"),
        organisation_id=request.person.organisation_id,
        pk=pk,
    )


def _form_page(request, template: str, context: dict, form) -> object:
    status = 400 if form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


# --- Rubrics ------------------------------------------------------------------------


@person_required
def rubric_list(request):
    me = request.person
    rubrics = list(Rubric.objects.filter(organisation_id=me.organisation_id))
    counts = {}
    for rubric_id, active in Competency.objects.filter(
        organisation_id=me.organisation_id
    ).values_list("section__rubric_id", "is_active"):
        if active:
            counts[rubric_id] = counts.get(rubric_id, 0) + 1
    rows = [(r, shown(r.name), shown(r.description), counts.get(r.pk, 0)) for r in rubrics]
    context = {"rows": rows, "can_edit": rights.can_edit_standards(me), "tab": "rubrics"}
    return render(request, "assessments/rubrics/list.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def rubric_new(request):
    _editor(request)
    form = RubricForm(request.POST or None, org=request.person.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rubric created."))
            return redirect("rubric", rubric.pk)
    return _form_page(request, "assessments/rubrics/rubric_form.html", {"rubric": None}, form)


@person_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request, pk: int):
    _editor(request)
    rubric = _rubric(request, pk)
    form = RubricForm(request.POST or None, org=rubric.organisation, rubric=rubric)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rubric", rubric.pk)
    return _form_page(request, "assessments/rubrics/rubric_form.html", {"rubric": rubric}, form)


def rubric_grid(rubric: Rubric, metric_names: dict[str, str]) -> list[dict]:
    """Sales steps with their competencies, each with its behaviour per level (two queries)."""
    sections = list(rubric.sections.order_by("position", "pk"))
    competencies: dict[int, list] = {s.pk: [] for s in sections}
    for c in Competency.objects.filter(section__rubric=rubric).order_by("position", "pk"):
        competencies[c.section_id].append(
            {
                "competency": c,
                "name": shown(c.name),
                "metric": metric_names.get(c.metric_key, c.metric_key),
                "cells": [
                    (shown(level["label"]), shown(c.behaviours.get(level["key"], "")))
                    for level in rubric.levels
                ],
            }
        )
    return [
        {
            "section": s,
            "name": shown(s.name),
            "first": i == 0,
            "last": i == len(sections) - 1,
            "active": [row for row in competencies[s.pk] if row["competency"].is_active],
            "archived": [row for row in competencies[s.pk] if not row["competency"].is_active],
        }
        for i, s in enumerate(sections)
    ]


@person_required
def rubric(request, pk: int):
    me = request.person
    rubric = _rubric(request, pk)
    names = {m.key: m.label for m in get_metrics(me.organisation).values()}
    context = {
        "rubric": rubric,
        "name": shown(rubric.name),
        "description": shown(rubric.description),
        "levels": [shown(level["label"]) for level in rubric.levels],
        "sections": rubric_grid(rubric, names),
        "can_edit": rights.can_edit_standards(me),
        "section_form": SectionForm(),
        "templates": rubric.templates.filter(is_current=True).order_by("name"),
        "tab": "rubrics",
    }
    return render(request, "assessments/rubrics/rubric.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def rubric_levels(request, pk: int):
    _editor(request)
    rubric = _rubric(request, pk)
    form = LevelsForm(request.POST or None, rubric=rubric)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Levels saved."))
            return redirect("rubric", rubric.pk)
    context = {"rubric": rubric, "name": shown(rubric.name)}
    return _form_page(request, "assessments/rubrics/levels_form.html", context, form)


# --- Sales steps --------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def section_new(request, pk: int):
    _editor(request)
    rubric = _rubric(request, pk)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rubric_editing.add_section(rubric, form.cleaned_data["name"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Sales step added."))
            return redirect("rubric", rubric.pk)
    context = {"rubric": rubric, "name": shown(rubric.name), "section": None}
    return _form_page(request, "assessments/rubrics/section_form.html", context, form)


@person_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int):
    _editor(request)
    section = _section(request, pk)
    form = SectionForm(request.POST or None, initial={"name": shown(section.name)})
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        try:
            rubric_editing.rename_section(
                section, section.name if name == shown(section.name) else name
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("rubric", section.rubric_id)
    context = {"rubric": section.rubric, "name": shown(section.rubric.name), "section": section}
    return _form_page(request, "assessments/rubrics/section_form.html", context, form)


@person_required
@require_POST
def section_move(request, pk: int):
    _editor(request)
    section = _section(request, pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction"))
    if step is None:
        messages.error(request, _("Choose up or down."))
    else:
        rubric_editing.move_section(section, step)
    return redirect("rubric", section.rubric_id)


@person_required
@require_POST
def section_delete(request, pk: int):
    _editor(request)
    section = _section(request, pk)
    try:
        rubric_editing.delete_section(section)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Sales step removed."))
    return redirect("rubric", section.rubric_id)


# --- Competencies -------------------------------------------------------------------


@person_required
@require_http_methods(["GET", "POST"])
def competency_new(request, pk: int):
    _editor(request)
    rubric = _rubric(request, pk)
    if not rubric.sections.exists():
        messages.error(request, _("Add a sales step first: every competency belongs to one."))
        return redirect("rubric", rubric.pk)
    initial = {}
    if str(request.GET.get("section", "")).isdigit():
        initial["section"] = int(request.GET["section"])
    form = CompetencyForm(request.POST or None, rubric=rubric, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Competency added."))
            return redirect("rubric", rubric.pk)
    context = {"rubric": rubric, "name": shown(rubric.name), "competency": None}
    return _form_page(request, "assessments/rubrics/competency_form.html", context, form)


@person_required
@require_http_methods(["GET", "POST"])
def competency_edit(request, pk: int):
    _editor(request)
    competency = _competency(request, pk)
    rubric = competency.section.rubric
    form = CompetencyForm(request.POST or None, rubric=rubric, competency=competency)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved. Templates show the change from their next version on."),
            )
            return redirect("rubric", rubric.pk)
    context = {"rubric": rubric, "name": shown(rubric.name), "competency": competency}
    return _form_page(request, "assessments/rubrics/competency_form.html", context, form)


@person_required
@require_POST
def competency_archive(request, pk: int):
    _editor(request)
    competency = _competency(request, pk)
    archived = request.POST.get("archived", "1") != "0"
    rubric_editing.archive_competency(competency, archived)
    if archived:
        messages.success(
            request, _("Archived: kept with its ratings, left out of new template versions.")
        )
    else:
        messages.success(request, _("Back in use."))
    return redirect("rubric", competency.section.rubric_id)


@person_required
@require_POST
def competency_delete(request, pk: int):
    _editor(request)
    competency = _competency(request, pk)
    rubric_id = competency.section.rubric_id
    try:
        rubric_editing.delete_competency(competency)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Competency deleted."))
    return redirect("rubric", rubric_id)


# --- Scorecard templates ------------------------------------------------------------


@person_required
def template_list(request):
    me = request.person
    current = list(
        ScorecardTemplate.objects.filter(organisation_id=me.organisation_id, is_current=True)
        .select_related("rubric")
        .order_by("name", "pk")
    )
    counts = template_history.applies_to(me.organisation, current)
    rows = [
        {
            "template": t,
            "rubric": shown(t.rubric.name),
            "kpis": len(t.kpis),
            "competencies": len(t.competencies),
            "people": counts.get(t.pk, 0),
        }
        for t in current
    ]
    context = {"rows": rows, "can_edit": rights.can_edit_standards(me), "tab": "templates"}
    return render(request, "assessments/rubrics/template_list.html", context)


def _template(request, pk: int) -> ScorecardTemplate:
    return get_object_or_404(
        ScorecardTemplate.objects.select_related("rubric", "created_by"),
        organisation_id=request.person.organisation_id,
        pk=pk,
    )


@person_required
def template_detail(request, pk: int):
    me = request.person
    template = _template(request, pk)
    versions = list(
        ScorecardTemplate.objects.filter(organisation_id=me.organisation_id, family=template.family)
        .select_related("created_by")
        .order_by("version")
    )
    catalog = get_metrics(me.organisation)
    names = {key: m.label for key, m in catalog.items()}
    history = []
    for index, version in enumerate(versions):
        before = versions[index - 1] if index else None
        history.append(
            {"version": version, "changes": template_history.changes(before, version, names)}
        )
    history.reverse()
    current = next((v for v in versions if v.is_current), None)
    counts = template_history.applies_to(me.organisation, [current] if current else [])
    context = {
        "template": template,
        "current": current,
        "rubric_name": shown(template.rubric.name),
        "kpis": [
            {"name": names.get(k["metric"], k["metric"]), "weight": k.get("weight") or ""}
            for k in template.kpis
        ],
        "competencies": [
            {
                "section": shown(c["section"]),
                "name": shown(c["name"]),
                "weight": c.get("weight") or "",
            }
            for c in template.competencies
        ],
        "levels": [shown(level["label"]) for level in template.levels],
        "history": history,
        "people": counts.get(current.pk, 0) if current else 0,
        "can_edit": rights.can_edit_standards(me) and template.is_current,
        "tab": "templates",
    }
    return render(request, "assessments/rubrics/template.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def template_new(request):
    _editor(request)
    me = request.person
    if not Rubric.objects.filter(organisation_id=me.organisation_id).exists():
        messages.error(request, _("Create a rubric first: a template rates its competencies."))
        return redirect("rubric_list")
    form = TemplateForm(request.POST or None, org=me.organisation, by=me)
    return _template_form(request, form, None)


@person_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk: int):
    _editor(request)
    me = request.person
    template = _template(request, pk)
    if not template.is_current and request.method == "GET":
        messages.warning(request, _("This is an earlier version; edit the current one."))
        current = ScorecardTemplate.objects.filter(
            organisation_id=me.organisation_id, family=template.family, is_current=True
        ).first()
        return redirect("template_edit", current.pk) if current else redirect("template_list")
    form = TemplateForm(request.POST or None, org=me.organisation, by=me, current=template)
    return _template_form(request, form, template)


def _template_form(request, form: TemplateForm, template: ScorecardTemplate | None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save()
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s published: everyone in the role is measured with it from now on; past assessments keep theirs."
                )
                % {"version": saved.version},
            )
            return redirect("template", saved.pk)
    context = {
        "template": template,
        "titles": template_history.job_titles(request.person.organisation),
        "tab": "templates",
    }
    return _form_page(request, "assessments/rubrics/template_form.html", context, form)
