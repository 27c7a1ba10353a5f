"""API: assessments, ratings and focus areas (see assessments/api_urls.py).

The same rules as the pages: a rep reads their own submitted assessments (a manager
assessment once their self-assessment is in), the rater their own, the rep's line the
rest. An anonymous peer review carries no rater for its rep, and a private note only
for those allowed to read it. Refusals of what was sent are field-level 400s.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.assessments import assessing, checklist, focus, rights
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    FocusArea,
    FocusStatus,
)
from followthrough.coaching.api.common import field_errors, org_person, org_row, run_action
from followthrough.crm.models import Activity, Deal
from followthrough.lib.ids import parse_id
from followthrough.people.models import Person

urlpatterns: list = []

FILTERS = [
    OpenApiParameter("rep", int, description="The rep's id."),
    OpenApiParameter("kind", str, enum=AssessmentKind.values),
    OpenApiParameter("status", str, enum=AssessmentStatus.values),
    OpenApiParameter("cycle", dt.date, description="The cycle's first day (YYYY-MM-DD)."),
]


class RatingSerializer(StrictSerializer):
    competency = serializers.IntegerField(source="competency_id")
    level = serializers.CharField()
    evidence = serializers.CharField()
    rated_at = serializers.DateTimeField()


class AssessmentSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="assessment-detail")
    rater = serializers.SerializerMethodField()
    private_note = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "url",
            "rep",
            "rater",
            "requested_by",
            "kind",
            "template",
            "cycle_start",
            "cycle_end",
            "status",
            "version",
            "supersedes",
            "anonymous",
            "observed_on",
            "deal",
            "activity",
            "summary",
            "private_note",
            "correction_reason",
            "submitted_at",
            "ratings",
        ]
        read_only_fields = fields

    def _viewer(self) -> Person:
        return self.context["request"].person

    @extend_schema_field(OpenApiTypes.INT)
    def get_rater(self, assessment: Assessment) -> int | None:
        """The rater's id; null for an anonymous peer review read by its rep."""
        return assessment.rater_id if rights.can_see_rater(self._viewer(), assessment) else None

    def get_private_note(self, assessment: Assessment) -> str | None:
        """Only for the rater and the people they report to."""
        if rights.can_view_private_note(self._viewer(), assessment):
            return assessment.private_note
        return None

    @extend_schema_field(RatingSerializer(many=True))
    def get_ratings(self, assessment: Assessment) -> list[dict]:
        return RatingSerializer(assessment.ratings.all(), many=True).data

    def to_representation(self, assessment):
        data = super().to_representation(assessment)
        if not rights.can_see_rater(self._viewer(), assessment):
            data["requested_by"] = None
        return data


class AssessmentInputSerializer(StrictSerializer):
    rep = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[*checklist.MANAGER_KINDS, AssessmentKind.SELF])
    cycle = serializers.DateField(required=False, help_text="A day in the cycle; default: today.")
    ask_self_first = serializers.BooleanField(required=False, default=False)
    observed_on = serializers.DateField(required=False, allow_null=True)
    deal = serializers.IntegerField(required=False, allow_null=True)
    activity = serializers.IntegerField(required=False, allow_null=True)


class RateInputSerializer(StrictSerializer):
    class One(StrictSerializer):
        competency = serializers.IntegerField()
        level = serializers.CharField(max_length=40)
        evidence = serializers.CharField(required=False, allow_blank=True, default="")

    ratings = One(many=True, allow_empty=False)


class CorrectInputSerializer(StrictSerializer):
    correction_reason = serializers.CharField(max_length=500)


class PeersInputSerializer(StrictSerializer):
    rep = serializers.IntegerField()
    peers = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    cycle = serializers.DateField(required=False)


class Nothing(StrictSerializer):
    pass


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments the caller may read; create, rate, submit and correct by the same rules."""

    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer

    def scope(self):
        return checklist.visible_assessments(self.request.person)

    def get_queryset(self):
        rows = self.scope()
        params = self.request.query_params
        errors = {}
        if params.get("rep"):
            rows = rows.filter(rep_id=parse_id(params["rep"]) or 0)
        for name, values in (("kind", AssessmentKind.values), ("status", AssessmentStatus.values)):
            value = params.get(name)
            if value:
                if value not in values:
                    errors[name] = [f"Choose one of: {', '.join(values)}."]
                rows = rows.filter(**{name: value})
        if params.get("cycle"):
            try:
                rows = rows.filter(cycle_start=dt.date.fromisoformat(params["cycle"]))
            except ValueError:
                errors["cycle"] = ["Give a date as YYYY-MM-DD."]
        if errors:
            raise serializers.ValidationError(errors)
        return rows.prefetch_related("ratings").order_by("-cycle_start", "rep_id", "kind", "pk")

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        found = self.scope().filter(pk=pk).first()
        if found is None or not rights.can_view_assessment(self.request.person, found):
            raise Http404
        return found

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssessmentInputSerializer, responses={201: AssessmentSerializer})
    def create(self, request):
        """Start a manager assessment or an observation, or ask the rep for a self-assessment."""
        me = request.person
        incoming = AssessmentInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rep = org_person(me, data["rep"], "rep")
        cycle = checklist.cycle_of(me.organisation, data.get("cycle") or _today(me))
        try:
            if data["kind"] == AssessmentKind.SELF:
                made = checklist.ask_self_assessment(by=me, rep=rep, cycle=cycle)
            else:
                details = {}
                if data["kind"] == AssessmentKind.OBSERVATION:
                    details = {
                        "observed_on": data.get("observed_on"),
                        "deal": org_row(Deal, me, data.get("deal"), "deal"),
                        "activity": org_row(Activity, me, data.get("activity"), "activity"),
                    }
                made = checklist.start_assessment(
                    by=me,
                    rep=rep,
                    kind=data["kind"],
                    cycle=cycle,
                    ask_self_first=data["ask_self_first"],
                    **details,
                )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PeersInputSerializer, responses={201: AssessmentSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def peers(self, request):
        """A manager asks peers to review a rep: one draft peer review per peer."""
        me = request.person
        incoming = PeersInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rep = org_person(me, data["rep"], "rep")
        peers = [org_person(me, pk, "peers") for pk in data["peers"]]
        cycle = checklist.cycle_of(me.organisation, data.get("cycle") or _today(me))
        try:
            made = checklist.request_peer_reviews(by=me, rep=rep, peers=peers, cycle=cycle)
        except DjangoValidationError as error:
            raise field_errors(error) from None
        body = self.get_serializer(made, many=True).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=RateInputSerializer, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """Set levels and evidence on a draft, by its rater."""
        assessment = self.get_object()

        def act(data):
            for one in data["ratings"]:
                assessing.rate(assessment, one["competency"], one["level"], one["evidence"])

        return run_action(
            self,
            request,
            assessment,
            allowed=rights.can_edit_assessment(request.person, assessment),
            refusal="Only its rater rates a draft; a submitted assessment is corrected instead.",
            inputs=RateInputSerializer,
            act=act,
        )

    @extend_schema(request=None, responses={200: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = self.get_object()
        return run_action(
            self,
            request,
            assessment,
            allowed=rights.can_edit_assessment(request.person, assessment),
            refusal="Only its rater submits a draft.",
            inputs=Nothing,
            act=lambda data: assessing.submit(assessment),
        )

    @extend_schema(request=CorrectInputSerializer, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """A new draft version of a submitted assessment, by its rater; the old one is kept."""
        assessment = self.get_object()
        if not rights.can_correct_assessment(request.person, assessment):
            raise PermissionDenied("Only its rater corrects a submitted assessment.")
        incoming = CorrectInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            fresh = assessing.correct(assessment, incoming.validated_data["correction_reason"])
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


def _today(me: Person) -> dt.date:
    from followthrough.people.lines import today_for

    return today_for(me.organisation)


# Focus areas


class FocusAreaSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="focus-area-detail")

    class Meta:
        model = FocusArea
        fields = [
            "id",
            "url",
            "rep",
            "competency",
            "metric_key",
            "assessment",
            "note",
            "status",
            "picked_by",
            "picked_on",
            "closed_on",
        ]
        read_only_fields = fields


class FocusInputSerializer(StrictSerializer):
    assessment = serializers.IntegerField()
    competency = serializers.IntegerField()
    metric_key = serializers.CharField(
        required=False, allow_blank=True, help_text="Default: the competency's metric."
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class FocusCloseSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[FocusStatus.ACHIEVED, FocusStatus.DROPPED])


class FocusAreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Focus areas: the rep's own, and those of the people reporting to the caller."""

    queryset = FocusArea.objects.none()
    serializer_class = FocusAreaSerializer

    def get_queryset(self):
        rows = focus.visible_focus_areas(self.request.person)
        params = self.request.query_params
        if params.get("rep"):
            rows = rows.filter(rep_id=parse_id(params["rep"]) or 0)
        state = params.get("status")
        if state:
            if state not in FocusStatus.values:
                raise serializers.ValidationError(
                    {"status": [f"Choose one of: {', '.join(FocusStatus.values)}."]}
                )
            rows = rows.filter(status=state)
        return rows.order_by("-picked_on", "pk")

    @extend_schema(
        parameters=[
            OpenApiParameter("rep", int, description="The rep's id."),
            OpenApiParameter("status", str, enum=FocusStatus.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=FocusInputSerializer, responses={201: FocusAreaSerializer})
    def create(self, request):
        """Pick a focus area from a submitted assessment, within the team's limit."""
        me = request.person
        incoming = FocusInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        assessment = (
            checklist.visible_assessments(me)
            .select_related("rep", "template")
            .filter(pk=data["assessment"])
            .first()
        )
        if assessment is None:
            raise serializers.ValidationError({"assessment": ["No such assessment."]})
        if not rights.can_coach(me, assessment.rep):
            raise PermissionDenied("Only the rep's manager picks their focus areas.")
        try:
            area = focus.pick(
                by=me,
                assessment=assessment,
                competency_id=data["competency"],
                metric_key=data.get("metric_key") or None,
                note=data["note"],
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(area).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=FocusCloseSerializer, responses={200: FocusAreaSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        area = self.get_object()
        return run_action(
            self,
            request,
            area,
            allowed=rights.can_coach(request.person, area.rep),
            refusal="Only the rep's manager closes their focus areas.",
            inputs=FocusCloseSerializer,
            act=lambda data: focus.close(area, by=request.person, status=data["status"]),
        )


def register(router: BaseRouter) -> None:
    router.register("assessments", AssessmentViewSet, basename="assessment")
    router.register("focus-areas", FocusAreaViewSet, basename="focus-area")
