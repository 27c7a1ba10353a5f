"""The follow-through's API: meetings (see coaching/api_urls.py).

The same rules as the pages: a person sees their own pairs' meetings and those of
the people they see; private notes only by rights.can_view_private_note; creating,
moving and ending go through the same functions as the forms.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import path  # noqa: F401
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.coaching import rights
from followthrough.coaching.agenda import build_agenda
from followthrough.coaching.api.common import field_errors
from followthrough.coaching.cadence import end_meeting, move_meeting
from followthrough.coaching.meetings import (
    MeetingQuery,
    create_deal_review,
    create_one_on_one,
    visible_meetings,
)
from followthrough.coaching.models import (
    Meeting,
    MeetingKind,
    MeetingNote,
    MeetingStatus,
    MissedBy,
    NoteKind,
)
from followthrough.coaching.notes import add_note, save_reflections, visible_notes
from followthrough.crm.models import Deal
from followthrough.lib.ids import parse_id
from followthrough.people.models import Person

# Extra paths that are not viewsets, under /api/v1/.
urlpatterns: list = []


class MeetingNoteSerializer(StrictModelSerializer):
    kind = serializers.CharField(
        read_only=True, help_text="reflection (the rep's), feedback or private (the manager's)."
    )

    class Meta:
        model = MeetingNote
        fields = ["id", "kind", "author", "question", "text", "created_at", "updated_at"]
        read_only_fields = fields


class MeetingSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="meeting-detail")
    # Plain text in the schema: a team's "kind" (region, team) owns the enum of that name.
    kind = serializers.CharField(read_only=True, help_text="one_on_one or deal_review.")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "kind",
            "manager",
            "rep",
            "deal",
            "cadence",
            "scheduled_at",
            "duration_minutes",
            "status",
            "missed_by",
            "moved_from",
            "ended_at",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    notes = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "notes"]
        read_only_fields = fields

    @extend_schema_field(MeetingNoteSerializer(many=True))
    def get_notes(self, meeting: Meeting) -> list[dict]:
        viewer = self.context["request"].person
        return MeetingNoteSerializer(visible_notes(viewer, meeting), many=True).data


class MeetingInputSerializer(StrictSerializer):
    kind = serializers.CharField(
        default=MeetingKind.ONE_ON_ONE, help_text="one_on_one or deal_review."
    )
    rep = serializers.IntegerField(required=False, help_text="For a 1:1: the rep's id.")
    deal = serializers.IntegerField(required=False, help_text="For a deal review: the deal's id.")
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, default=30)

    def validate_kind(self, value: str) -> str:
        if value not in MeetingKind.values:
            raise serializers.ValidationError("Choose one_on_one or deal_review.")
        return value

    def validate(self, data):
        if data["kind"] == MeetingKind.DEAL_REVIEW and not data.get("deal"):
            raise serializers.ValidationError({"deal": ["A deal review is about one deal."]})
        if data["kind"] == MeetingKind.ONE_ON_ONE and not data.get("rep"):
            raise serializers.ValidationError({"rep": ["Say who the 1:1 is with."]})
        return data


class MoveSerializer(StrictSerializer):
    scheduled_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, required=False)


class EndSerializer(StrictSerializer):
    status = serializers.CharField(help_text="held or missed.")

    def validate_status(self, value: str) -> str:
        if value not in (MeetingStatus.HELD, MeetingStatus.MISSED):
            raise serializers.ValidationError("A meeting ends as held or missed.")
        return value

    missed_by = serializers.ChoiceField(choices=MissedBy.choices, required=False, default="")


class NoteInputSerializer(StrictSerializer):
    kind = serializers.CharField(
        help_text="reflection (the rep), feedback or private (the manager)."
    )
    text = serializers.CharField(max_length=10000)
    question = serializers.CharField(
        max_length=300, required=False, help_text="For a reflection: the question it answers."
    )

    def validate_kind(self, value: str) -> str:
        if value not in NoteKind.values:
            raise serializers.ValidationError("Choose reflection, feedback or private.")
        return value

    def validate(self, data):
        if data["kind"] == NoteKind.REFLECTION and not data.get("question", "").strip():
            raise serializers.ValidationError({"question": ["Say which question this answers."]})
        return data


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """1:1s and deal reviews the caller may see; the pair moves and ends them."""

    queryset = Meeting.objects.none()

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_queryset(self):
        meetings = visible_meetings(self.request.person)
        meetings = MeetingQuery.from_params(self.request.query_params).apply(meetings)
        return meetings.order_by("-scheduled_at", "-pk")

    def _meeting(self, pk) -> Meeting:
        return get_object_or_404(
            visible_meetings(self.request.person).select_related("organisation", "rep", "manager"),
            pk=parse_id(str(pk)) or 0,
        )

    def retrieve(self, request, *args, **kwargs):
        meeting = self._meeting(kwargs["pk"])
        return Response(MeetingDetailSerializer(meeting, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "person", int, description="Meetings where this person is rep or manager."
            ),
            OpenApiParameter("kind", str, enum=MeetingKind.values),
            OpenApiParameter("status", str, enum=MeetingStatus.values),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Scheduled on or after."),
            OpenApiParameter("until", OpenApiTypes.DATE, description="Scheduled on or before."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MeetingInputSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        incoming = MeetingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        viewer = request.person
        try:
            if data["kind"] == MeetingKind.DEAL_REVIEW:
                deal = (
                    Deal.objects.filter(organisation_id=viewer.organisation_id, pk=data["deal"])
                    .select_related("owner")
                    .first()
                )
                if deal is None:
                    raise serializers.ValidationError({"deal": ["No such deal."]})
                meeting = create_deal_review(
                    viewer, deal, data["scheduled_at"], duration_minutes=data["duration_minutes"]
                )
            else:
                rep = Person.objects.filter(
                    organisation_id=viewer.organisation_id, pk=data["rep"]
                ).first()
                if rep is None:
                    raise serializers.ValidationError({"rep": ["No such person."]})
                meeting = create_one_on_one(
                    viewer, rep, data["scheduled_at"], duration_minutes=data["duration_minutes"]
                )
        except ValidationError as error:
            raise field_errors(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        body = MeetingSerializer(meeting, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def agenda(self, request, pk=None):
        """The agenda as JSON: built from the data now, or as it stood when the meeting was held."""
        meeting = self._meeting(pk)
        agenda = build_agenda(meeting, viewer=request.person)
        return Response({**agenda.as_json(), "frozen": agenda.frozen})

    @extend_schema(request=NoteInputSerializer, responses={201: MeetingNoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        """Write a note: the rep's answer to a question, or the manager's feedback or private note."""
        meeting = self._meeting(pk)
        if not rights.in_pair(request.person, meeting):
            raise PermissionDenied("Only the meeting's manager and rep write in it.")
        incoming = NoteInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            if data["kind"] == NoteKind.REFLECTION:
                question = data["question"].strip()
                save_reflections(request.person, meeting, {question: data["text"]})
                note = meeting.notes.get(
                    kind=NoteKind.REFLECTION, author=request.person, question=question
                )
            else:
                note = add_note(request.person, meeting, data["kind"], data["text"])
        except ValidationError as error:
            raise field_errors(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        return Response(MeetingNoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveSerializer, responses={201: MeetingSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move a scheduled meeting: it ends as moved and the new one (returned) points back."""
        meeting = self._meeting(pk)
        if not rights.in_pair(request.person, meeting):
            raise PermissionDenied("Only the meeting's manager and rep change it.")
        incoming = MoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            moved = move_meeting(
                request.person,
                meeting,
                incoming.validated_data["scheduled_at"],
                duration_minutes=incoming.validated_data.get("duration_minutes"),
            )
        except ValidationError as error:
            raise field_errors(error) from None
        body = MeetingSerializer(moved, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a scheduled meeting as held (its agenda frozen) or missed (by whom)."""
        meeting = self._meeting(pk)
        if not rights.in_pair(request.person, meeting):
            raise PermissionDenied("Only the meeting's manager and rep change it.")
        incoming = EndSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            ended = end_meeting(
                request.person,
                meeting,
                incoming.validated_data["status"],
                missed_by=incoming.validated_data.get("missed_by", ""),
            )
        except ValidationError as error:
            raise field_errors(error) from None
        return Response(MeetingSerializer(ended, context={"request": request}).data)


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the coaching router."""
    router.register("meetings", MeetingViewSet, basename="meeting")
