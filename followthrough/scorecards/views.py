"""Scorecard, team dashboard, drill-down and export pages: access checks, then plain builders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from followthrough.goals import rights
from followthrough.lib.periods import shift
from followthrough.metrics import engine, totals
from followthrough.people import access
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person, Role, Team
from followthrough.scorecards import exports
from followthrough.scorecards.charts import dashboard_chart, scorecard_charts
from followthrough.scorecards.choosing import Choice, choose, period_query
from followthrough.scorecards.dashboard import build_dashboard
from followthrough.scorecards.panels import build_panels
from followthrough.scorecards.records import cells, columns_for, with_related
from followthrough.scorecards.scorecard import DEFAULT_METRICS, build_scorecard
from followthrough.web.decorators import person_required

DASHBOARD_ROLES = (Role.MANAGER, Role.LEADER, Role.ADMIN)
RECORDS_PER_PAGE = 100


def _choice(request, org) -> Choice:
    return choose(request.GET, today_for(org), org.fiscal_year_start_month)


def _chosen(request, org) -> Choice:
    """The period a page shows; what was changed on the way is told above the page."""
    choice = _choice(request, org)
    if choice.notices:
        messages.warning(request, " ".join(choice.notices))
    return choice


def _person(request, pk: int) -> Person:
    me = request.person
    person = get_object_or_404(Person, pk=pk, organisation=me.organisation)
    if not access.can_view_person(me, person):
        raise PermissionDenied
    return person


def scorecard_page(request, person: Person):
    """The scorecard of `person` (access already checked by the caller)."""
    org = person.organisation
    choice = _chosen(request, org)
    period = choice.period
    card = build_scorecard(person, period)
    context = {
        "card": card,
        "person": person,
        "line": line_on(person, card.today),
        "period": period,
        "period_day": choice.day,
        "query": period_query(period),
        "previous": period_query(shift(period, -1)),
        "next": period_query(shift(period, 1)),
        "charts": scorecard_charts(card, org.currency),
        "is_me": person.pk == request.person.pk,
        "can_set_goals": rights.can_set_person_goal(request.person, person),
        # The ratings half and other apps' panels (see scorecards/panels.py).
        "panels": build_panels(request.person, person, period),
    }
    return render(request, "web/scorecard.html", context)


@person_required
def person_scorecard(request, pk: int):
    return scorecard_page(request, _person(request, pk))


@person_required
def my_scorecard(request):
    """The logged-in person's own scorecard: a rep's landing page (web names it "me").

    A manager's own scorecard is their follow-through as a manager (the coaching app's
    "manager_scorecard", reached by URL name: scorecards does not import coaching)."""
    if request.person.role == Role.MANAGER:
        url = reverse("manager_scorecard", args=[request.person.pk])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return scorecard_page(request, request.person)


def _metric(org, key: str):
    metric = engine.get_metrics(org).get(key)
    if metric is None:
        raise Http404
    return metric


def _records_page(request, subject, back_url, metric, period, person_ids, records=None):
    if records is None:
        records = engine.facts(request.person.organisation, metric.key, period, person_ids)
    records = with_related(records)
    columns = columns_for(records)
    page = Paginator(records, RECORDS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "subject": subject,
        "back_url": back_url,
        "metric": metric,
        "definition": engine.describe(metric),
        "period": period,
        "query": period_query(period),
        "columns": columns,
        "rows": [cells(record, columns) for record in page],
        "page": page,
        "total": page.paginator.count,
    }
    return render(request, "scorecards/records.html", context)


@person_required
def person_records(request, pk: int, key: str):
    person = _person(request, pk)
    metric = _metric(person.organisation, key)
    period = _chosen(request, person.organisation).period
    back = reverse("person_scorecard", args=[person.pk]) + "?" + period_query(period)
    return _records_page(request, person, back, metric, period, [person.pk])


def _team(request, pk: int) -> Team:
    me = request.person
    team = get_object_or_404(Team, pk=pk, organisation=me.organisation)
    if not access.can_view_team(me, team):
        raise PermissionDenied
    return team


def _dashboard(request, team: Team, period):
    keys = request.GET.getlist("metric") or list(DEFAULT_METRICS[:6])
    sort = request.GET.get("sort", "name")
    return build_dashboard(
        request.person,
        team,
        keys,
        period,
        sort=sort,
        descending=request.GET.get("dir") == "desc",
    )


@person_required(roles=DASHBOARD_ROLES)
def dashboard_home(request):
    """The viewer's own team's dashboard, else the first team they may see."""
    me = request.person
    line = line_on(me, today_for(me.organisation))
    teams = access.visible_teams(me)
    team = None
    if line is not None and line.team_id and teams.filter(pk=line.team_id).exists():
        team = line.team
    team = team or teams.order_by("name").first()
    if team is None:
        return render(request, "scorecards/no_team.html")
    return redirect("team_dashboard", pk=team.pk)


@person_required(roles=DASHBOARD_ROLES)
def team_dashboard(request, pk: int):
    team = _team(request, pk)
    choice = _chosen(request, request.person.organisation)
    board = _dashboard(request, team, choice.period)
    me = request.person
    catalog = engine.get_metrics(me.organisation)
    chosen = {m.key for m in board.metrics}
    query = period_query(board.period, metric=[m.key for m in board.metrics])
    context = {
        "board": board,
        "team": team,
        "teams": access.visible_teams(me).order_by("name"),
        "all_metrics": [(m, m.key in chosen) for m in catalog.values()],
        "period": board.period,
        "period_day": choice.day,
        "query": query,
        "period_only": period_query(board.period),
        "previous": period_query(shift(board.period, -1), metric=list(chosen)),
        "next": period_query(shift(board.period, 1), metric=list(chosen)),
        "chart": dashboard_chart(board),
        "currency": me.organisation.currency,
    }
    return render(request, "scorecards/dashboard.html", context)


@person_required(roles=DASHBOARD_ROLES)
def team_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    team = _team(request, pk)
    choice = _choice(request, request.person.organisation)
    if choice.notices:
        # A file cannot carry a notice: refuse rather than export another period.
        return HttpResponseBadRequest(
            " ".join(choice.notices), content_type="text/plain; charset=utf-8"
        )
    board = _dashboard(request, team, choice.period)
    if fmt == "xlsx":
        body = exports.to_xlsx(board)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, kind = exports.to_csv(board), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    name = exports.filename(board, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@person_required(roles=DASHBOARD_ROLES)
def team_records(request, pk: int, key: str):
    team = _team(request, pk)
    org = request.person.organisation
    metric = _metric(org, key)
    period = _chosen(request, org).period
    # The records behind the team total: members' facts of their days on the team.
    visible = access.visible_person_ids(request.person)
    records = totals.team_facts(org, metric.key, period, team.pk, visible)
    back = reverse("team_dashboard", args=[team.pk]) + "?" + period_query(period)
    return _records_page(request, team, back, metric, period, None, records)


@person_required(roles=(Role.LEADER, Role.ADMIN))
def organisation_records(request, key: str):
    """The records behind the dashboard's summary row: the organisation's for an admin
    (facts without an owner included), everyone reporting to a leader for a leader."""
    org = request.person.organisation
    metric = _metric(org, key)
    period = _chosen(request, org).period
    visible = access.visible_person_ids(request.person)
    records = engine.facts(org, metric.key, period, visible, ownerless=visible is None)
    subject = org.name if visible is None else _("Everyone reporting to you")
    back = reverse("dashboard") + "?" + period_query(period)
    return _records_page(request, subject, back, metric, period, None, records)
