"""API: the three rights (see diagnostics/api_urls.py).

GET /api/v1/diagnostics/three-rights/?team=&period=YYYY-MM: one item per rep the caller
may see (in `team` when given; a rep: themself), the last complete month by default.
GET /api/v1/diagnostics/three-rights/<person_id>/?period=: one rep.
Reasons are in the request's language; evidence carries the figure and the page behind it.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from followthrough.api.strict import StrictSerializer
from followthrough.diagnostics import rights, rights_pages, scope
from followthrough.diagnostics.findings import STATUS_VALUES
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Team

PERIOD = OpenApiParameter(
    "period", str, description="The month, YYYY-MM (default: the last complete month)."
)
TEAM = OpenApiParameter(
    "team", int, description="A team id: its reps and its sub-teams' (default: everyone you see)."
)


class EvidenceSerializer(StrictSerializer):
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    shown = serializers.CharField(help_text="The value as the page shows it.")
    url = serializers.CharField(allow_blank=True, help_text="The page with the numbers behind it.")


class FindingSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=STATUS_VALUES)
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    evidence = EvidenceSerializer(many=True)
    gap = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        allow_null=True,
        help_text="Right time: projected won deals short of target over the coming months.",
    )


class RepRightsSerializer(StrictSerializer):
    id = serializers.IntegerField(help_text="The person's id.")
    url = serializers.CharField()
    name = serializers.CharField()
    period = serializers.CharField()
    overall = serializers.ChoiceField(choices=STATUS_VALUES)
    thing = FindingSerializer()
    way = FindingSerializer()
    time = FindingSerializer()


class RightsListSerializer(StrictSerializer):
    period = serializers.CharField()
    team = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    results = RepRightsSerializer(many=True)


def _month(request):
    today = today_for(request.person.organisation)
    month = rights_pages.month_from(request.query_params.get("period"), today)
    if month is None:
        raise serializers.ValidationError({"period": ["Give a month that has begun, as YYYY-MM."]})
    return month, today


def _item(request, each) -> dict:
    currency = request.person.organisation.currency
    views = {f.key: rights_pages.finding_view(f, currency) for f in each.findings}
    return {
        "id": each.person.pk,
        "url": request.build_absolute_uri(
            reverse("api-diagnostics-three-rights-detail", args=[each.person.pk])
        ),
        "name": each.person.name,
        "period": each.month.key,
        "overall": str(each.overall),
        **views,
    }


class ThreeRightsList(APIView):
    @extend_schema(
        operation_id="diagnostics_three_rights_list",
        parameters=[TEAM, PERIOD],
        responses={200: RightsListSerializer},
    )
    def get(self, request):
        me = request.person
        month, today = _month(request)
        team = None
        if request.query_params.get("team") is not None:
            pk = parse_id(request.query_params.get("team"))
            if pk is None:
                raise serializers.ValidationError({"team": ["Give a team id."]})
            team = Team.objects.filter(pk=pk, organisation_id=me.organisation_id).first()
            if team is None:
                raise NotFound
            if not rights.can_see_team(me, team):
                raise PermissionDenied("You may not see this team.")
        people = rights_pages.in_role(scope.sellers(me, min(month.end, today), team), month)
        found = rights_pages.assess_people(me, people, month)
        body = {
            "period": month.key,
            "team": team.pk if team else None,
            "count": len(found),
            "results": [_item(request, each) for each in found],
        }
        return Response(RightsListSerializer(body).data)


class ThreeRightsDetail(APIView):
    @extend_schema(parameters=[PERIOD], responses={200: RepRightsSerializer})
    def get(self, request, person_id: int):
        me = request.person
        person = get_object_or_404(Person, pk=person_id, organisation_id=me.organisation_id)
        if not rights.can_see_person(me, person):
            raise PermissionDenied("You may not see this person.")
        month, _today = _month(request)
        found = rights_pages.assess_people(me, [person], month)[0]
        return Response(RepRightsSerializer(_item(request, found)).data)


urlpatterns: list = [
    path(
        "diagnostics/three-rights/",
        ThreeRightsList.as_view(),
        name="api-diagnostics-three-rights",
    ),
    path(
        "diagnostics/three-rights/<int:person_id>/",
        ThreeRightsDetail.as_view(),
        name="api-diagnostics-three-rights-detail",
    ),
]


def register(router: BaseRouter) -> None:
    pass
