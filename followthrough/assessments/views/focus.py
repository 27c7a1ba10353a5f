"""Pages: focus areas (picked from an assessment, closed as achieved or dropped) and the
team's assessment settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.assessments import focus, rights
from followthrough.assessments.forms_assessments import (
    AssessmentSettingsForm,
    FocusCloseForm,
    FocusForm,
    with_errors,
)
from followthrough.assessments.models import Assessment, AssessmentStatus, FocusStatus
from followthrough.assessments.texts import shown
from followthrough.goals.catalog import metrics_of
from followthrough.lib.ids import parse_id
from followthrough.people import access
from followthrough.people.lines import team_on, today_for
from followthrough.people.models import Person, Team
from followthrough.web.decorators import person_required


@person_required
def focus_list(request):
    """A rep's focus areas ("My focus areas"), or those of the people reporting to the viewer."""
    me = request.person
    rows = focus.visible_focus_areas(me)
    person = parse_id(request.GET.get("person"))
    if person:
        rows = rows.filter(rep_id=person)
    rows = list(
        rows.select_related("rep", "competency", "assessment", "picked_by").order_by(
            "rep__name", "status", "-picked_on", "pk"
        )
    )
    names = {key: metric.label for key, metric in metrics_of(me.organisation).items()}
    coached = set()
    for area in rows:
        area.name = shown(area.competency.name)
        area.metric_name = names.get(area.metric_key, area.metric_key)
        if area.rep_id not in coached and rights.can_coach(me, area.rep):
            coached.add(area.rep_id)
        area.can_close = area.status == FocusStatus.ACTIVE and area.rep_id in coached
    people = list(
        Person.objects.filter(pk__in=focus.visible_focus_areas(me).values("rep_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    context = {
        "active": [a for a in rows if a.status == FocusStatus.ACTIVE],
        "closed": [a for a in rows if a.status != FocusStatus.ACTIVE],
        "mine": person in (None, me.pk) and me.role not in rights.MANAGING_ROLES,
        "people": people,
        "person": person,
        "close_form": FocusCloseForm(),
        # The manager's own team, for the link to its settings (focus-area limit, anonymity).
        "team": team_on(me, today_for(me.organisation))
        if me.role in rights.MANAGING_ROLES
        else None,
    }
    return render(request, "assessments/assessments/focus_list.html", context)


@person_required
@require_http_methods(["GET", "POST"])
def focus_new(request, pk: int):
    """Pick a focus area from a submitted assessment."""
    me = request.person
    assessment = get_object_or_404(
        Assessment.objects.select_related("rep", "template"),
        pk=pk,
        organisation_id=me.organisation_id,
    )
    if not rights.can_coach(me, assessment.rep):
        raise PermissionDenied(_("Only the rep's manager picks their focus areas."))
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise PermissionDenied(_("Pick focus areas from a submitted assessment."))
    form = FocusForm(request.POST or None, assessment=assessment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            focus.pick(
                by=me,
                assessment=assessment,
                competency_id=data["competency"],
                metric_key=data["metric_key"] or None,
                note=data["note"],
            )
        except ValidationError as error:
            with_errors(form, error)
        else:
            messages.success(request, _("Focus area picked: it is on the 1:1 agenda now."))
            return redirect(reverse("assessment", args=[assessment.pk]) + "#focus")
    status = 400 if request.method == "POST" else 200
    active = list(focus.active_for(assessment.rep).select_related("competency"))
    for area in active:
        area.name = shown(area.competency.name)
    context = {
        "form": form,
        "assessment": assessment,
        "active": active,
        "limit": focus.limit_for(assessment.rep, assessment.cycle_end),
    }
    return render(request, "assessments/assessments/focus_new.html", context, status=status)


@person_required
@require_POST
def focus_close(request, pk: int):
    me = request.person
    area = get_object_or_404(
        focus.visible_focus_areas(me).select_related("rep", "organisation"), pk=pk
    )
    if not rights.can_coach(me, area.rep):
        raise PermissionDenied(_("Only the rep's manager closes their focus areas."))
    form = FocusCloseForm(request.POST)
    if form.is_valid():
        try:
            focus.close(area, by=me, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Focus area closed."))
    else:
        messages.error(request, _("Close it as achieved or dropped."))
    return redirect(reverse("focus_areas") + f"?person={area.rep_id}")


@person_required
@require_http_methods(["GET", "POST"])
def assessment_settings(request, pk: int):
    """The team's focus-area limit, peer anonymity and review rhythm."""
    me = request.person
    team = get_object_or_404(Team, pk=pk, organisation_id=me.organisation_id)
    if me.role not in rights.MANAGING_ROLES or not access.can_view_team(me, team):
        raise PermissionDenied(_("You may not change this team's assessment settings."))
    form = AssessmentSettingsForm(request.POST or None, instance=focus.settings_of(team))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("assessment_settings", pk=team.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "team": team}
    return render(request, "assessments/assessments/settings.html", context, status=status)
