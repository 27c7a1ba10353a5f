"""People pages: my team, teams, a person, settings and the people admin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followthrough.audit.display import describe
from followthrough.audit.registry import history_for
from followthrough.people import access
from followthrough.people.forms import OrganisationForm, PersonForm, TeamForm
from followthrough.people.invitations import awaits_password, invitation_tokens, send_invitation
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Person, ReportingLine, Role, Team
from followthrough.people.queries import roster, team_tree
from followthrough.web.decorators import person_required

ADMIN_ONLY = (Role.ADMIN,)


@person_required
def my_team(request):
    me = request.person
    today = today_for(me.organisation)
    people = access.visible_people(me).exclude(pk=me.pk).filter(is_active=True)
    rows = roster(people, me.organisation, today, manager_id=me.pk)
    return render(request, "people/my_team.html", {"rows": rows, "today": today})


@person_required
def teams(request):
    me = request.person
    today = today_for(me.organisation)
    nodes = team_tree(access.visible_teams(me), me.organisation, today)
    return render(request, "people/teams.html", {"nodes": nodes})


@person_required
def team_detail(request, pk: int):
    me = request.person
    team = get_object_or_404(Team, pk=pk, organisation=me.organisation)
    if not access.can_view_team(me, team):
        raise PermissionDenied
    today = today_for(me.organisation)
    member_ids = lines_on(me.organisation, today).filter(team=team).values("person_id")
    people = access.visible_people(me).filter(pk__in=member_ids)
    rows = roster(people, me.organisation, today, manager_id=None)
    return render(request, "people/team_detail.html", {"team": team, "rows": rows})


@person_required
def person_detail(request, pk: int):
    me = request.person
    person = get_object_or_404(Person, pk=pk, organisation=me.organisation)
    if not access.can_view_person(me, person):
        raise PermissionDenied
    lines = ReportingLine.objects.filter(person=person).select_related("manager", "team")
    context = {
        "person": person,
        "lines": lines.order_by("-valid_from"),
        "can_edit": access.can_manage_people(me),
        "can_invite": access.can_manage_people(me) and awaits_password(person),
    }
    return render(request, "people/person_detail.html", context)


@person_required
def person_history(request, pk: int):
    me = request.person
    person = get_object_or_404(Person, pk=pk, organisation=me.organisation)
    if not access.can_view_person(me, person):
        raise PermissionDenied
    lines = ReportingLine.objects.filter(person=person)
    entries = describe(history_for(person, related=lines).select_related("content_type")[:300])
    return render(request, "people/person_history.html", {"person": person, "entries": entries})


@person_required(roles=ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    org = request.person.organisation
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Settings saved."))
        return redirect("settings")
    return render(request, "people/settings.html", {"form": form, "org": org})


@person_required(roles=ADMIN_ONLY)
def people_list(request):
    me = request.person
    today = today_for(me.organisation)
    people = Person.objects.filter(organisation=me.organisation)
    rows = roster(people, me.organisation, today, manager_id=None)
    return render(request, "people/people_list.html", {"rows": rows})


@person_required(roles=ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int | None = None):
    org = request.person.organisation
    person = get_object_or_404(Person, pk=pk, organisation=org) if pk else None
    form = PersonForm(request.POST or None, instance=person, organisation=org)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        if form.needs_invitation:
            _invite(request, saved)
        return redirect("person", pk=saved.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@person_required(roles=ADMIN_ONLY)
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int | None = None):
    org = request.person.organisation
    team = get_object_or_404(Team, pk=pk, organisation=org) if pk else None
    form = TeamForm(request.POST or None, instance=team, organisation=org)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(name)s saved.") % {"name": saved.name})
        return redirect("team", pk=saved.pk)
    return render(request, "people/team_form.html", {"form": form, "team": team})


def _invite(request, person: Person) -> None:
    send_invitation(person, inviter=request.person)
    messages.success(
        request,
        _("An invitation to choose a password was sent to %(email)s.")
        % {"email": person.user.email},
    )


@person_required(roles=ADMIN_ONLY)
@require_POST
def person_invite(request, pk: int):
    """Send the invitation again: the first one expired, or never arrived."""
    person = get_object_or_404(Person, pk=pk, organisation=request.person.organisation)
    if awaits_password(person):
        _invite(request, person)
    elif person.user is None or not person.user.is_active:
        messages.error(
            request,
            _("%(name)s cannot log in: edit them to give them a login.") % {"name": person.name},
        )
    else:
        messages.info(
            request,
            _("%(name)s has chosen a password already; they can use “Forgot your password?”.")
            % {"name": person.name},
        )
    return redirect("person", pk=person.pk)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the invited person chooses their password."""

    token_generator = invitation_tokens
    template_name = "people/invitation_accept.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A login closed since the invitation was sent cannot be opened with it.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set: log in with your e-mail address and your new password."),
        )
        return response
