"""API: scorecards, with the pages' rules.

GET /api/v1/scorecards/ lists whose scorecard the caller may read (themself, their
reports, their subtree, or for an admin the organisation), each with its detail URL.
GET /api/v1/scorecards/{person id}/?kind=month&date=YYYY-MM-DD (or kind=custom&start=&end=)
gives that person's scorecard for the period, the figures the page shows: each KPI's
actual, target, attainment, pace, baseline, team median and trend (docs/metrics.md).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.lib.ids import parse_id
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.scorecards.choosing import choose
from followthrough.scorecards.scorecard import Kpi, build_scorecard

NUMBER = {"max_digits": 24, "decimal_places": 6, "allow_null": True}
PERIOD_PARAMETERS = [
    OpenApiParameter(
        "kind",
        str,
        enum=["week", "month", "quarter", "year", "custom"],
        description="Default: month.",
    ),
    OpenApiParameter("date", dt.date, description="A day in the period (default: today)."),
    OpenApiParameter("start", dt.date, description="kind=custom: the first day."),
    OpenApiParameter("end", dt.date, description="kind=custom: the last day."),
]


class ScorecardLinkSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="scorecard-detail")

    class Meta:
        model = Person
        fields = ["id", "url", "name", "role"]
        read_only_fields = fields


class ScorecardTrendSerializer(StrictSerializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    value = serializers.DecimalField(**NUMBER)
    target = serializers.DecimalField(**NUMBER)
    team_median = serializers.DecimalField(**NUMBER)


class ScorecardKpiSerializer(StrictSerializer):
    key = serializers.CharField()
    name = serializers.CharField(source="metric.label")
    unit = serializers.CharField(source="metric.unit")
    higher_is_better = serializers.BooleanField(source="metric.higher_is_better")
    value = serializers.DecimalField(source="actual.value", **NUMBER)
    target = serializers.DecimalField(**NUMBER)
    attainment = serializers.DecimalField(**NUMBER)
    pace = serializers.CharField(source="pace.status")
    expected_by_today = serializers.DecimalField(source="pace.expected", **NUMBER)
    baseline = serializers.DecimalField(**NUMBER)
    team_median = serializers.DecimalField(**NUMBER)
    shared_deals = serializers.IntegerField(
        source="shared", help_text="Deals behind the figure that count only a share."
    )
    trend = ScorecardTrendSerializer(many=True)


SCORECARD = inline_serializer(
    "Scorecard",
    fields={
        "person": serializers.IntegerField(),
        "name": serializers.CharField(),
        "team": serializers.CharField(allow_null=True),
        "start": serializers.DateField(),
        "end": serializers.DateField(),
        "kind": serializers.CharField(),
        "today": serializers.DateField(),
        "elapsed": serializers.FloatField(help_text="Share of the period gone by today (0-1)."),
        "notices": serializers.ListField(child=serializers.CharField()),
        "kpis": ScorecardKpiSerializer(many=True),
    },
)


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    """Scorecards of the people the caller may see."""

    queryset = Person.objects.none()
    serializer_class = ScorecardLinkSerializer

    def get_queryset(self):
        people = access.visible_people(self.request.person).filter(is_active=True)
        return people.order_by("name", "pk")

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=SCORECARD)
    def retrieve(self, request, pk=None):
        person = self.get_queryset().filter(pk=parse_id(str(pk)) or 0).first()
        if person is None:
            raise Http404
        org = request.person.organisation
        person.organisation = org
        choice = choose(request.query_params, today_for(org), org.fiscal_year_start_month)
        card = build_scorecard(person, choice.period)
        kpis: list[Kpi] = list(card.kpis)
        return Response(
            {
                "person": person.pk,
                "name": person.name,
                "team": card.team.name if card.team else None,
                "start": card.period.start,
                "end": card.period.end,
                "kind": str(card.period.kind),
                "today": card.today,
                "elapsed": float(card.elapsed),
                "notices": list(choice.notices),
                "kpis": ScorecardKpiSerializer(kpis, many=True).data,
            }
        )


def register(router: BaseRouter) -> None:
    router.register("scorecards", ScorecardViewSet, basename="scorecard")
