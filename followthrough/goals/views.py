"""Goal pages: the list, the form, CSV import and the organisation's goal settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.goals import rights
from followthrough.goals.catalog import metrics_of
from followthrough.goals.forms import GoalForm, GoalSettingsForm
from followthrough.goals.imports import import_goals
from followthrough.goals.listing import GoalQuery, filter_choices, filter_goals
from followthrough.goals.models import Goal
from followthrough.goals.ramp import shares_text
from followthrough.goals.targets import settings_for
from followthrough.people.models import Role
from followthrough.web.decorators import person_required

SETTERS = rights.SETTERS


@person_required
def goal_list(request):
    me = request.person
    org = me.organisation
    visible = Goal.objects.filter(rights.visible_goals_filter(me))
    metrics = metrics_of(org)
    query = GoalQuery.from_params(request.GET)
    goals = filter_goals(visible, query, metrics, org.fiscal_year_start_month)
    goals = goals.select_related("person", "team").order_by("-start", "metric_key", "pk")
    page = Paginator(goals, 100).get_page(request.GET.get("page"))
    # Asked once, not per goal: the page lists up to a hundred.
    team_ids = set(rights.settable_teams(me).values_list("pk", flat=True))
    people_ids = rights.settable_person_ids(me)
    for goal in page:
        metric = metrics.get(goal.metric_key)
        goal.metric_name = metric.label if metric is not None else goal.metric_key
        goal.metric = metric
        goal.ramp_text = shares_text(goal.ramp_shares)
        if goal.person_id:
            goal.can_change = people_ids is None or goal.person_id in people_ids
        else:
            goal.can_change = goal.team_id in team_ids
    context = {
        "page": page,
        "can_set": rights.can_set_goals(me),
        "query": query,
        "choices": filter_choices(visible, metrics, org.fiscal_year_start_month),
        "currency": org.currency,
    }
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
                messages.success(request, import_summary(result.created, result.updated))
                return redirect("goals")
    status = 400 if result is not None and not result.ok else 200
    return render(request, "goals/goal_import.html", {"result": result}, status=status)


def import_summary(created: int, updated: int) -> str:
    """'1 goal added, 2 updated.' with each number's own plural form."""
    added = ngettext("%(count)s goal added", "%(count)s goals added", created) % {"count": created}
    changed = ngettext("%(count)s goal updated", "%(count)s goals updated", updated) % {
        "count": updated
    }
    return _("%(added)s, %(updated)s.") % {"added": added, "updated": changed}


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
