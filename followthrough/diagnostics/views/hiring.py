"""Pages: the hiring forecast of a team for a year, and its assumptions (leaders and admins edit)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from followthrough.diagnostics import hiring, rights
from followthrough.diagnostics.forms_hiring import HiringAssumptionsForm
from followthrough.diagnostics.hiring_chart import chart
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import add_months
from followthrough.metrics.labels import format_number, format_value
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Team
from followthrough.web.decorators import person_required


def teams_for(viewer: Person) -> list[Team]:
    """The teams the viewer may plan for, the top ones first, then by name."""
    teams = list(access.visible_teams(viewer).order_by("name"))
    ids = {t.pk for t in teams}
    return sorted(teams, key=lambda t: (t.parent_id in ids, t.name))


def choose(params, viewer: Person, today: dt.date) -> tuple[Team, int, list[Team], str]:
    """The team (`?team=`, default the viewer's top team) and year (`?year=`) asked for.

    A team the viewer may not see is a 404; a year not offered is refused in words.
    """
    teams = teams_for(viewer)
    if not teams:
        raise Http404
    team = teams[0]
    if params.get("team"):
        wanted = parse_id(params.get("team"))
        team = next((t for t in teams if t.pk == wanted), None)
        if team is None:
            raise Http404
    year, error = hiring.default_year(today), ""
    if params.get("year"):
        asked = parse_id(params.get("year"))
        if asked in hiring.offered_years(today):
            year = asked
        else:
            error = _("Choose one of the years offered.")
    return team, year, teams, error


def assumption_rows(forecast: hiring.Forecast, currency: str) -> list[dict]:
    def shown(value, unit):
        if value is None:
            return "—"
        if unit == "months":
            return format_number(value, 0)
        if unit == "percent":
            return f"{format_number(value, 1)} %"
        return format_value(value, unit, currency)

    return [
        {
            "key": str(a.key),
            "label": a.label,
            "measured": shown(a.measured, a.unit),
            "yours": shown(a.yours, a.unit),
            "used": shown(a.used, a.unit),
            "source": str(a.source),
            "source_label": a.source_label,
            "how": a.how.text,
        }
        for a in forecast.assumptions
    ]


def month_rows(forecast: hiring.Forecast, currency: str) -> list[dict]:
    unit = forecast.unit
    return [
        {
            "month": m.month,
            "headcount": format_number(m.headcount, 1),
            "capacity": format_value(m.capacity, unit, currency),
            "target": format_value(m.target, unit, currency),
            "gap": format_value(abs(m.gap), unit, currency),
            "short": m.gap > 0,
            "starting": m.starting,
            "opening": m.opening,
        }
        for m in forecast.plan.months
    ]


@person_required
@require_http_methods(["GET", "POST"])
def hiring_page(request):
    me = request.person
    if not rights.can_see_hiring(me):
        raise PermissionDenied("The hiring forecast is for managers, leaders and admins.")
    org = me.organisation
    today = today_for(org)
    team, year, teams, error = choose(request.GET, me, today)
    can_edit = rights.can_edit_hiring(me, team)
    saved = hiring.saved_assumptions(org, [team], year)[team.pk]
    form = None
    if can_edit:
        form = HiringAssumptionsForm(request.POST or None, instance=saved, org=org)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only leaders and admins edit the hiring assumptions.")
        if form.is_valid():
            item = form.save(commit=False)
            item.organisation, item.team, item.year, item.updated_by = org, team, year, me
            item.save()  # audited: HiringAssumptions is registered (registrations.py)
            messages.success(request, _("Assumptions saved."))
            query = urlencode({"team": team.pk, "year": year})
            return redirect(f"{reverse('diagnostics_hiring')}?{query}")
    result = hiring.forecast(org, team, year, today)
    currency = org.currency
    context = {
        "section": "hiring",
        "team": team,
        "teams": teams,
        "year": year,
        "years": hiring.offered_years(today),
        "error": error,
        "forecast": result,
        "assumptions": assumption_rows(result, currency),
        "form": form,
        "can_edit": can_edit,
        "status": 400 if form is not None and form.errors else 200,
    }
    if result.plan is not None:
        plan = result.plan
        context.update(
            months=month_rows(result, currency),
            chart=chart(plan, result.unit, currency),
            hires=plan.hires,
            open_now=sum(h.count for h in plan.opened_before(add_months(today, 1))),
            total_target=format_value(plan.target, result.unit, currency),
            total_capacity=format_value(plan.capacity, result.unit, currency),
            short_months=len(plan.short_months),
        )
    return render(request, "diagnostics/hiring.html", context, status=context["status"])
