"""Pages: the three rights (team view, a rep's page) and a team's thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followthrough.diagnostics import rights, rights_pages
from followthrough.diagnostics.forms_rights import MixTargetForm, ThresholdsForm
from followthrough.diagnostics.models import DiagnosticSettings, MixTarget
from followthrough.diagnostics.thresholds import thresholds_for
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import shift
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role, Team
from followthrough.web.decorators import person_required

MANAGING = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def _month(request):
    today = today_for(request.person.organisation)
    month = rights_pages.month_from(request.GET.get("period"), today)
    if month is None:
        raise Http404(_("No such month."))
    return month, today


def _team(request, required: bool = False) -> Team | None:
    me = request.person
    pk = parse_id(request.GET.get("team"))
    if pk is None:
        team = rights_pages.default_team(me, today_for(me.organisation))
        if team is None and required:
            raise Http404
        return team
    team = get_object_or_404(Team, pk=pk, organisation_id=me.organisation_id)
    if not rights.can_see_team(me, team):
        raise PermissionDenied
    return team


def _months_nav(month, today):
    following = shift(month, 1)
    return {
        "previous": shift(month, -1).key,
        "next": following.key if following.end < today else None,
    }


@person_required
def team_view(request):
    me = request.person
    if me.role not in MANAGING:
        return redirect("diagnostics_rep", person_id=me.pk)
    month, today = _month(request)
    team = _team(request)
    found = rights_pages.team_rights(me, team, month)
    currency = me.organisation.currency
    rows = [
        {
            "person": each.person,
            "overall": each.overall,
            "findings": [rights_pages.finding_view(f, currency) for f in each.findings],
            "gap": each.time.gap,
        }
        for each in found
    ]
    summary = []
    for key, title in (
        ("thing", _("Right thing")),
        ("way", _("Right way")),
        ("time", _("Right time")),
    ):
        helped = [r["person"] for r in rows if r["findings"][_index(key)]["status"] == "help"]
        watched = [r["person"] for r in rows if r["findings"][_index(key)]["status"] == "watch"]
        summary.append({"key": key, "title": title, "help": helped, "watch": watched})
    context = {
        "section": "rights",
        "month": month,
        "team": team,
        "teams": access.visible_teams(me).order_by("name"),
        "rows": rows,
        "summary": summary,
        "right_names": [item["title"] for item in summary],
        **_months_nav(month, today),
    }
    return render(request, "diagnostics/rights_team.html", context)


def _index(key: str) -> int:
    return ("thing", "way", "time").index(key)


@person_required
def rep_page(request, person_id: int):
    me = request.person
    person = get_object_or_404(Person, pk=person_id, organisation_id=me.organisation_id)
    if not rights.can_see_person(me, person):
        raise PermissionDenied
    month, today = _month(request)
    found = rights_pages.assess_people(me, [person], month)[0]
    currency = me.organisation.currency
    context = {
        "section": "rights",
        "person": person,
        "month": month,
        "overall": found.overall,
        "findings": [
            (title, rights_pages.finding_view(f, currency))
            for title, f in zip(
                (_("Right thing"), _("Right way"), _("Right time")), found.findings, strict=True
            )
        ],
        "chart": rights_pages.chart(found.chart),
        "is_me": person.pk == me.pk,
        **_months_nav(month, today),
    }
    return render(request, "diagnostics/rights_rep.html", context)


@person_required(roles=MANAGING)
@require_http_methods(["GET", "POST"])
def settings_page(request):
    me = request.person
    team = _team(request, required=True)
    if not rights.can_set_thresholds(me, team):
        raise PermissionDenied
    own = DiagnosticSettings.objects.filter(team=team).first()
    current = own or thresholds_for(team)
    can_mix = rights.can_set_mix(me, team)
    form = ThresholdsForm(instance=current if own else None, initial=_initial(current))
    mix_form = MixTargetForm()
    back = reverse("diagnostics_settings") + f"?team={team.pk}"
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "thresholds":
            form = ThresholdsForm(request.POST, instance=own)
            if form.is_valid():
                saved = form.save(commit=False)
                saved.organisation, saved.team = me.organisation, team
                saved.save()
                messages.success(request, _("Thresholds saved."))
                return redirect(back)
        elif action in ("mix", "mix_delete"):
            if not can_mix:
                raise PermissionDenied
            if action == "mix_delete":
                target = get_object_or_404(
                    MixTarget, pk=parse_id(request.POST.get("target")), team=team
                )
                target.delete()
                messages.success(request, _("Mix target removed."))
                return redirect(back)
            existing = MixTarget.objects.filter(
                team=team,
                dimension=request.POST.get("dimension", ""),
                value=request.POST.get("value", "").strip(),
            ).first()
            mix_form = MixTargetForm(request.POST, instance=existing)
            if mix_form.is_valid():
                target = mix_form.save(commit=False)
                target.organisation, target.team, target.set_by = me.organisation, team, me
                target.save()
                messages.success(request, _("Mix target saved."))
                return redirect(back)
        else:
            raise Http404
    context = {
        "section": "settings",
        "team": team,
        "teams": [t for t in access.visible_teams(me).order_by("name")],
        "form": form,
        "inherited": own is None,
        "mix_form": mix_form,
        "can_mix": can_mix,
        "targets": MixTarget.objects.filter(team=team).order_by("dimension", "value"),
        "inherited_targets": _inherited_targets(me.organisation, team),
    }
    return render(
        request,
        "diagnostics/rights_settings.html",
        context,
        status=200 if request.method == "GET" or not (form.errors or mix_form.errors) else 400,
    )


def _initial(current: DiagnosticSettings) -> dict:
    return {name: getattr(current, name) for name in ThresholdsForm._meta.fields}


def _inherited_targets(org, team: Team) -> list[MixTarget]:
    from followthrough.diagnostics.thresholds import mix_targets_for

    found = mix_targets_for(org, [team.pk]).get(team.pk, [])
    return [t for t in found if t.team_id != team.pk]
