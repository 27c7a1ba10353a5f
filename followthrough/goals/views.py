"""Goal pages: the list, the form, CSV import and the organisation's goal settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.goals import rights
from followthrough.goals.catalog import metrics_of
from followthrough.goals.forms import GoalForm, GoalSettingsForm
from followthrough.goals.imports import import_goals
from followthrough.goals.models import Goal
from followthrough.goals.targets import settings_for
from followthrough.lib.ids import parse_id
from followthrough.people.models import Role
from followthrough.web.decorators import person_required

SETTERS = rights.SETTERS


@person_required
def goal_list(request):
    me = request.person
    goals = Goal.objects.filter(rights.visible_goals_filter(me)).select_related("person", "team")
    person_id = request.GET.get("person", "")
    if person_id.isdigit():
        # A number no id can be (too big, or "²") matches nothing.
        goals = goals.filter(person_id=parse_id(person_id) or 0)
    metric = request.GET.get("metric", "")
    if metric:
        goals = goals.filter(metric_key=metric)
    page = Paginator(goals.order_by("-start", "metric_key", "pk"), 100).get_page(
        request.GET.get("page")
    )
    names = {key: _(m.name) for key, m in metrics_of(me.organisation).items()}
    # Asked once, not per goal: the page lists up to a hundred.
    team_ids = set(rights.settable_teams(me).values_list("pk", flat=True))
    for goal in page:
        goal.metric_name = names.get(goal.metric_key, goal.metric_key)
        if goal.person_id:
            goal.can_change = rights.can_set_person_goal(me, goal.person)
        else:
            goal.can_change = goal.team_id in team_ids
    context = {"page": page, "can_set": rights.can_set_goals(me)}
    return render(request, "goals/goal_list.html", context)


@person_required(roles=SETTERS)
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk: int | None = None):
    me = request.person
    goal = None
    if pk is not None:
        goal = get_object_or_404(Goal.objects.filter(rights.visible_goals_filter(me)), pk=pk)
        if not rights.can_change_goal(me, goal):
            raise PermissionDenied
    initial = {}
    for name in ("person", "team", "metric_key"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = GoalForm(request.POST or None, instance=goal, viewer=me, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Goal saved."))
        return redirect("goals")
    history = []
    if goal is not None:
        history = describe(history_for(goal).select_related("content_type")[:50])
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal, "entries": history})


@person_required(roles=SETTERS)
@require_POST
def goal_delete(request, pk: int):
    me = request.person
    goal = get_object_or_404(Goal.objects.filter(rights.visible_goals_filter(me)), pk=pk)
    if not rights.can_change_goal(me, goal):
        raise PermissionDenied
    goal.delete()
    messages.success(request, _("Goal deleted."))
    return redirect("goals")


@person_required(roles=SETTERS)
@require_http_methods(["GET", "POST"])
def goal_import(request):
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV file to import."))
        else:
            result = import_goals(request.person, upload.read())
            if result.ok:
                messages.success(
                    request,
                    _("%(created)s goals added, %(updated)s updated.")
                    % {"created": result.created, "updated": result.updated},
                )
                return redirect("goals")
    status = 400 if result is not None and not result.ok else 200
    return render(request, "goals/goal_import.html", {"result": result}, status=status)


@person_required(roles=(Role.ADMIN,))
@require_http_methods(["GET", "POST"])
def goal_settings(request):
    instance = settings_for(request.person.organisation)
    form = GoalSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("goal_settings")
    return render(request, "goals/goal_settings.html", {"form": form})
