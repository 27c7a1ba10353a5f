"""The goals API: the same rules and checks as the goal form, over JSON."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.goals import rights
from followthrough.goals.catalog import metrics_of
from followthrough.goals.forms import GoalForm
from followthrough.goals.imports import import_goals
from followthrough.goals.listing import GoalQuery, filter_goals
from followthrough.goals.models import Goal
from followthrough.goals.ramp import SharesError, parse_shares
from followthrough.lib.ids import parse_id
from followthrough.people.models import Person, Team


class GoalSerializer(StrictModelSerializer):
    """A goal as the API shows it; writes go through GoalForm (see GoalViewSet)."""

    metric = serializers.CharField(source="metric_key")
    period = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "person",
            "team",
            "metric",
            "period_kind",
            "period",
            "start",
            "end",
            "target",
            "ramp",
            "ramp_shares",
            "note",
        ]
        read_only_fields = fields

    def get_period(self, goal: Goal) -> str:
        return goal.period.key


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 100}},
            {"type": "string", "example": "25 50 75"},
        ]
    }
)
class SharesInputField(serializers.Field):
    """Monthly ramp shares as a list ([25, 50, 75]) or as the form takes them ("25 50 75")."""

    def to_internal_value(self, data) -> list[int]:
        if isinstance(data, list) and all(isinstance(v, int | str) for v in data):
            data = " ".join(str(v) for v in data)
        if not isinstance(data, str):
            raise serializers.ValidationError("Give a list of percentages or a text like 25 50 75.")
        try:
            return parse_shares(data)
        except SharesError as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value):
        return value


class GoalInputSerializer(StrictSerializer):
    """What a client sends: the period as a kind and any day in it (custom: start and until)."""

    person = serializers.IntegerField(required=False, allow_null=True)
    team = serializers.IntegerField(required=False, allow_null=True)
    metric = serializers.CharField()
    period_kind = serializers.CharField()
    day = serializers.DateField()
    until = serializers.DateField(required=False, allow_null=True)
    target = serializers.DecimalField(
        max_digits=16,
        decimal_places=4,
        help_text="In the metric's stored unit: rates (unit percent) as fractions, 0.3 for 30 %.",
    )
    ramp = serializers.CharField(required=False, default="organisation")
    ramp_shares = SharesInputField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


# Form field -> API field, so errors name what the client sent.
_API_NAMES = {"metric_key": "metric"}


def _form_data(data: dict) -> dict:
    shares = data.get("ramp_shares") or []
    return {
        "person": data.get("person") or "",
        "team": data.get("team") or "",
        "metric_key": data.get("metric", ""),
        "period_kind": data.get("period_kind", ""),
        "day": data.get("day"),
        "until": data.get("until") or "",
        "target": data.get("target"),
        "ramp": data.get("ramp", "organisation"),
        "ramp_shares": ", ".join(str(s) for s in shares),
        "note": data.get("note", ""),
    }


class GoalViewSet(viewsets.ModelViewSet):
    """Goals the caller may see; created and changed by those who may set them."""

    queryset = Goal.objects.none()
    serializer_class = GoalSerializer

    def get_queryset(self):
        """The page's filters (person, team, metric, period, q), read the same way."""
        viewer = self.request.person
        goals = Goal.objects.filter(rights.visible_goals_filter(viewer))
        query = GoalQuery.from_params(self.request.query_params)
        if query.active:
            org = viewer.organisation
            goals = filter_goals(goals, query, metrics_of(org), org.fiscal_year_start_month)
        return goals.order_by("-start", "metric_key", "pk")

    def _save(self, request, instance: Goal | None, partial: bool = False):
        incoming = GoalInputSerializer(data=request.data, partial=partial)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if instance is not None and partial:
            current = {
                "person": instance.person_id,
                "team": instance.team_id,
                "metric": instance.metric_key,
                "period_kind": instance.period_kind,
                "day": instance.start,
                "until": instance.end,
                "target": instance.target,
                "ramp": instance.ramp,
                "ramp_shares": instance.ramp_shares,
                "note": instance.note,
            }
            data = {**current, **data}
        self._check_subject(request.person, data)
        form = GoalForm(
            _form_data(data), instance=instance, viewer=request.person, typed_targets=False
        )
        if not form.is_valid():
            raise serializers.ValidationError(
                {_API_NAMES.get(k, k): v for k, v in form.errors.items()}
            )
        with transaction.atomic():
            goal = form.save()
        return GoalSerializer(goal).data

    @staticmethod
    def _check_subject(viewer, data: dict) -> None:
        """Unknown people and teams are field errors; ones the caller may not set, refusals."""
        org = viewer.organisation
        if data.get("person"):
            person = Person.objects.filter(organisation=org, pk=data["person"]).first()
            if person is None:
                raise serializers.ValidationError({"person": ["No such person."]})
            if not rights.can_set_person_goal(viewer, person):
                raise PermissionDenied("You may not set goals for this person.")
        if data.get("team"):
            team = Team.objects.filter(organisation=org, pk=data["team"]).first()
            if team is None:
                raise serializers.ValidationError({"team": ["No such team."]})
            if not rights.can_set_team_goal(viewer, team):
                raise PermissionDenied("You may not set goals for this team.")

    @extend_schema(
        parameters=[
            OpenApiParameter("person", int, description="A person's id."),
            OpenApiParameter("team", int, description="A team's id."),
            OpenApiParameter("metric", str, description="A metric key, e.g. win_rate."),
            OpenApiParameter(
                "period", str, description="A period key: 2026-Q1, 2026-01, 2026-W03, FY2026..."
            ),
            OpenApiParameter("q", str, description="Search in names, metric names and notes."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=GoalInputSerializer, responses={201: GoalSerializer})
    def create(self, request, *args, **kwargs):
        if not rights.can_set_goals(request.person):
            raise PermissionDenied("Your role may not set goals.")
        return Response(self._save(request, None), status=status.HTTP_201_CREATED)

    def _changeable(self, pk: str) -> Goal:
        goal = get_object_or_404(self.get_queryset(), pk=parse_id(pk) or 0)
        if not rights.can_change_goal(self.request.person, goal):
            raise PermissionDenied("You may not change this goal.")
        return goal

    @extend_schema(request=GoalInputSerializer, responses={200: GoalSerializer})
    def update(self, request, *args, **kwargs):
        goal = self._changeable(kwargs["pk"])
        return Response(self._save(request, goal, partial=kwargs.get("partial", False)))

    def destroy(self, request, *args, **kwargs):
        self._changeable(kwargs["pk"]).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class GoalImportViewSet(viewsets.ViewSet):
    """Upload a CSV of goals: all rows saved, or none with an error per row and column."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "GoalImportUpload", fields={"file": serializers.FileField()}
            )
        },
        responses={
            200: inline_serializer(
                "GoalImportResult",
                fields={
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                },
            ),
            400: OpenApiResponse(description="Every error with its row, column and message."),
        },
    )
    def create(self, request):
        if not rights.can_set_goals(request.person):
            raise PermissionDenied("Your role may not set goals.")
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Attach the CSV as 'file'."]})
        result = import_goals(request.person, upload.read())
        if not result.ok:
            errors = [
                {"row": e.row, "column": e.column, "message": e.message} for e in result.errors
            ]
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": result.created, "updated": result.updated})
