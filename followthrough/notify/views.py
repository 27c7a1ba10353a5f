"""Pages: one's own notification settings, the unsubscribe link, and the admins' list of
deliveries with their errors. Thin: the rules are in preferences.py and delivery.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from followthrough.notify import preferences, rights
from followthrough.notify.forms import ChatHookForm, PreferenceForm
from followthrough.notify.models import ChatHook, Delivery, Status
from followthrough.people.models import Person, Role, Team
from followthrough.web.decorators import person_required

PAGE_SIZE = 50


@person_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    preference = preferences.preference_of(request.person)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notify_settings")
    return render(
        request, "notify/settings.html", {"form": form}, status=400 if form.errors else 200
    )


# Mail clients POST the one-click unsubscribe without a session or a CSRF token (RFC 8058);
# the signed token in the URL is the proof.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = preferences.read_token(token)
    person = (
        Person.objects.filter(pk=found[0], is_active=True).first() if found is not None else None
    )
    if person is None:
        raise Http404
    topic = found[1]
    if request.method == "POST":
        preferences.unsubscribe(person, topic)
        return render(request, "notify/unsubscribed.html", {"person": person, "topic": topic})
    return render(request, "notify/unsubscribe.html", {"person": person, "topic": topic})


@person_required(roles=(Role.ADMIN,))
def deliveries(request):
    rows = Delivery.objects.filter(organisation_id=request.person.organisation_id).select_related(
        "person", "team"
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    failed = Delivery.objects.filter(
        organisation_id=request.person.organisation_id, status=Status.FAILED
    ).count()
    return render(
        request,
        "notify/deliveries.html",
        {"page": page, "status": status, "statuses": Status.choices, "failed": failed},
    )


@person_required(roles=(Role.MANAGER, Role.LEADER, Role.ADMIN))
def chat_list(request):
    teams = list(rights.chat_teams(request.person))
    hooks = {h.team_id: h for h in ChatHook.objects.filter(team__in=teams)}
    rows = [(team, hooks.get(team.pk)) for team in teams]
    return render(request, "notify/chat_list.html", {"rows": rows})


@person_required(roles=(Role.MANAGER, Role.LEADER, Role.ADMIN))
@require_http_methods(["GET", "POST"])
def chat_edit(request, pk: int):
    team = get_object_or_404(Team, pk=pk, organisation_id=request.person.organisation_id)
    if not rights.can_set_chat(request.person, team):
        raise PermissionDenied
    hook = ChatHook.objects.filter(team=team).first() or ChatHook(
        organisation_id=team.organisation_id, team=team
    )
    form = ChatHookForm(request.POST or None, instance=hook)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The team's chat channel is saved."))
        return redirect("notify_chat")
    return render(
        request,
        "notify/chat_edit.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )
