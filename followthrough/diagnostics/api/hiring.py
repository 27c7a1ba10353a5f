"""API: the hiring forecast (see diagnostics/api_urls.py).

GET /api/v1/diagnostics/hiring-forecast/?team=&year=: one item per team (every team the
caller may see without `team`), each with its assumptions (measured, yours, used) and the
months (headcount, capacity, target, gap, roles opened, hires starting) and hires.
GET /api/v1/diagnostics/hiring-forecast/<team_id>/?year=: one team.
Managers, leaders and admins (rights.can_see_hiring); a rep is refused (403).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from followthrough.api.strict import StrictSerializer
from followthrough.diagnostics import hiring, rights
from followthrough.diagnostics.views.hiring import teams_for
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for

MONEY = {"max_digits": 20, "decimal_places": 2, "allow_null": True}


class AssumptionSerializer(StrictSerializer):
    key = serializers.ChoiceField(choices=[k.value for k in hiring.Key])
    label = serializers.CharField()
    unit = serializers.CharField()
    measured = serializers.DecimalField(**MONEY)
    yours = serializers.DecimalField(**MONEY)
    used = serializers.DecimalField(**MONEY)
    source = serializers.ChoiceField(choices=[s.value for s in hiring.Source])
    how = serializers.CharField(help_text="How it was measured, in the request's language.")


class MonthSerializer(StrictSerializer):
    month = serializers.CharField(help_text="YYYY-MM")
    headcount = serializers.DecimalField(max_digits=12, decimal_places=2)
    capacity = serializers.DecimalField(max_digits=20, decimal_places=2)
    target = serializers.DecimalField(max_digits=20, decimal_places=2)
    gap = serializers.DecimalField(
        max_digits=20, decimal_places=2, help_text="Target minus capacity; above 0: short."
    )
    roles_opened = serializers.IntegerField()
    hires_starting = serializers.IntegerField()


class HireSerializer(StrictSerializer):
    opens = serializers.CharField(help_text="YYYY-MM: the month to open the roles")
    start = serializers.CharField(help_text="YYYY-MM: the month the hires start")
    count = serializers.IntegerField()
    needed_for = serializers.CharField(help_text="YYYY-MM: the month they must be ramped for")


class ForecastSerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The team's id.")
    url = serializers.CharField()
    team = serializers.CharField()
    year = serializers.IntegerField()
    metric_key = serializers.CharField()
    sellers = serializers.IntegerField(help_text="Reps on board today.")
    total_hires = serializers.IntegerField(allow_null=True)
    assumptions = AssumptionSerializer(many=True)
    months = MonthSerializer(many=True)
    hires = HireSerializer(many=True)
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Why there is no plan (empty when there is)."
    )


def _body(request, forecast: hiring.Forecast) -> dict:
    plan = forecast.plan
    url = reverse("api-hiring-forecast-detail", args=[forecast.team.pk])
    return {
        "id": forecast.team.pk,
        "url": request.build_absolute_uri(f"{url}?year={forecast.year}"),
        "team": forecast.team.name,
        "year": forecast.year,
        "metric_key": forecast.metric_key,
        "sellers": forecast.sellers,
        "total_hires": plan.total_hires if plan else None,
        "assumptions": [
            {
                "key": a.key.value,
                "label": a.label,
                "unit": a.unit,
                "measured": a.measured,
                "yours": a.yours,
                "used": a.used,
                "source": a.source.value,
                "how": a.how.text,
            }
            for a in forecast.assumptions
        ],
        "months": [
            {
                "month": m.month.key,
                "headcount": m.headcount,
                "capacity": m.capacity,
                "target": m.target,
                "gap": m.gap,
                "roles_opened": m.opening,
                "hires_starting": m.starting,
            }
            for m in (plan.months if plan else [])
        ],
        "hires": [
            {
                "opens": f"{h.opens:%Y-%m}",
                "start": f"{h.start:%Y-%m}",
                "count": h.count,
                "needed_for": f"{h.needed_for:%Y-%m}",
            }
            for h in (plan.hires if plan else [])
        ],
        "missing": [said.text for said in forecast.missing],
    }


def _year(request, today) -> int:
    asked = request.query_params.get("year")
    if not asked:
        return hiring.default_year(today)
    year = parse_id(asked)
    if year not in hiring.offered_years(today):
        offered = ", ".join(str(y) for y in hiring.offered_years(today))
        raise serializers.ValidationError({"year": [f"Choose one of {offered}."]})
    return year


def _viewer(request):
    me = request.person
    if not rights.can_see_hiring(me):
        raise PermissionDenied("The hiring forecast is for managers, leaders and admins.")
    return me


YEAR = OpenApiParameter("year", int, description="The year planned; default next year.")


class HiringForecastList(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("team", int, description="One team's id."), YEAR],
        responses={200: ForecastSerializer(many=True)},
    )
    def get(self, request):
        me = _viewer(request)
        today = today_for(me.organisation)
        year = _year(request, today)
        teams = teams_for(me)
        if request.query_params.get("team") is not None:
            wanted = parse_id(request.query_params.get("team"))
            teams = [t for t in teams if t.pk == wanted]
            if not teams:
                raise serializers.ValidationError({"team": ["Choose a team you may see."]})
        found = hiring.forecast_teams(me.organisation, teams, year, today)
        body = [_body(request, found[t.pk]) for t in teams]
        return Response(ForecastSerializer(body, many=True).data)


class HiringForecastDetail(APIView):
    @extend_schema(parameters=[YEAR], responses={200: ForecastSerializer})
    def get(self, request, pk: int):
        me = _viewer(request)
        today = today_for(me.organisation)
        year = _year(request, today)
        team = next((t for t in teams_for(me) if t.pk == pk), None)
        if team is None:
            raise Http404
        found = hiring.forecast(me.organisation, team, year, today)
        return Response(ForecastSerializer(_body(request, found)).data)


urlpatterns: list = [
    path(
        "diagnostics/hiring-forecast/",
        HiringForecastList.as_view(),
        name="api-hiring-forecast-list",
    ),
    path(
        "diagnostics/hiring-forecast/<int:pk>/",
        HiringForecastDetail.as_view(),
        name="api-hiring-forecast-detail",
    ),
]


def register(router: BaseRouter) -> None:
    pass
