"""The people API: read people and teams, filtered by the same access rules as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.response import Response

from followthrough.api.strict import StrictModelSerializer
from followthrough.people import access
from followthrough.people.models import Person, ReportingLine, Team


class ReportingLineSerializer(StrictModelSerializer):
    class Meta:
        model = ReportingLine
        fields = ["manager", "team", "valid_from", "valid_to"]


class PersonSerializer(StrictModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "email", "title", "role", "role_since", "external_id", "is_active"]


class PersonDetailSerializer(PersonSerializer):
    reporting_lines = ReportingLineSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "reporting_lines"]


class TeamSerializer(StrictModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "kind", "parent", "external_id"]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People the caller may see: themselves, their reports, or (admins) everyone."""

    queryset = Person.objects.none()

    def get_queryset(self):
        people = access.visible_people(self.request.person).order_by("name")
        if self.action == "retrieve":
            people = people.prefetch_related("reporting_lines")
        return people

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer


class TeamViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Team.objects.none()
    serializer_class = TeamSerializer

    def get_queryset(self):
        return access.visible_teams(self.request.person).order_by("name")


# Apps above people add fields to /api/v1/me/ here (a hook: people imports none of them).
# Each callable gets (person, request) and returns a dict of extra fields.
ME_EXTRAS: list[Callable[[Person, Any], dict]] = []


class MeSerializer(PersonSerializer):
    calendar_url = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The person's private calendar feed (iCalendar), or null while they have none.",
    )

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "calendar_url"]


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request):
    """The calling person, with what other apps add (ME_EXTRAS)."""
    data = PersonSerializer(request.person).data
    for extra in ME_EXTRAS:
        data.update(extra(request.person, request))
    return Response(data)
