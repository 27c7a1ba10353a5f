"""API: onboarding and certification programs and enrolments (see programs/api_urls.py).

The same rules and logic as the pages: everyone in the organisation reads its
programs; managers, leaders and admins create and change them. Enrolments are the
enrolled person's and their line's; a manager enrols (create), training is checked off
by the person or their manager (`complete`), a certification signed off by a manager
(`certify`). Metric milestones complete themselves. Refusals are field-level 400s.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.assessments.models import ScorecardTemplate
from followthrough.coaching.api.common import field_errors
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from followthrough.programs import enrolments, progress, rights
from followthrough.programs.models import (
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneKind,
    Program,
)

urlpatterns: list = []


# Programs


class MilestoneSerializer(StrictModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "name",
            "definition_of_done",
            "kind",
            "due_day",
            "metric_key",
            "target",
            "template",
            "position",
        ]
        read_only_fields = fields


class ProgramSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="program-detail")
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = ["id", "url", "name", "description", "starter", "is_active", "milestones"]
        read_only_fields = fields

    def get_milestones(self, program: Program) -> list[dict]:
        rows = sorted(program.milestones.all(), key=lambda m: (m.due_day, m.position, m.pk))
        return MilestoneSerializer(rows, many=True).data


class MilestoneInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    definition_of_done = serializers.CharField()
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    due_day = serializers.IntegerField(help_text="Days after the start; 0 or more.")
    metric_key = serializers.CharField(required=False, allow_blank=True, default="")
    target = serializers.DecimalField(
        max_digits=16, decimal_places=4, required=False, allow_null=True, default=None
    )
    template = serializers.IntegerField(required=False, allow_null=True, default=None)
    position = serializers.IntegerField(required=False, default=0, min_value=0, max_value=32767)


class ProgramInputSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)
    milestones = MilestoneInputSerializer(many=True, required=False, default=list)


class ProgramChangeSerializer(StrictSerializer):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


def _milestone(program: Program, data: dict, index: int | None = None) -> Milestone:
    template = None
    if data.get("template"):
        template = ScorecardTemplate.objects.filter(
            organisation_id=program.organisation_id, pk=data["template"]
        ).first()
        if template is None:
            raise DjangoValidationError({"template": "No such scorecard template."})
    milestone = Milestone(
        organisation_id=program.organisation_id,
        program=program,
        name=data["name"],
        definition_of_done=data["definition_of_done"],
        kind=data["kind"],
        due_day=data["due_day"],
        metric_key=data.get("metric_key", ""),
        target=data.get("target"),
        template=template,
        position=data.get("position", 0),
    )
    if milestone.due_day < 0:
        raise DjangoValidationError(
            {"due_day": "A milestone cannot be due before the start: give 0 days or more."}
        )
    return enrolments.save_milestone(milestone)


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The organisation's programs with their milestones in due order."""

    queryset = Program.objects.none()
    serializer_class = ProgramSerializer

    def get_queryset(self):
        return (
            Program.objects.filter(organisation_id=self.request.person.organisation_id)
            .prefetch_related("milestones")
            .order_by("name", "pk")
        )

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def _editor(self) -> None:
        if not rights.can_edit_standards(self.request.person):
            raise PermissionDenied("Only managers, leaders and admins change programs.")

    @extend_schema(request=ProgramInputSerializer, responses={201: ProgramSerializer})
    def create(self, request):
        self._editor()
        incoming = ProgramInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            with transaction.atomic():
                program = Program.objects.create(
                    organisation_id=request.person.organisation_id,
                    name=data["name"],
                    description=data["description"],
                    is_active=data["is_active"],
                )
                for index, step in enumerate(data["milestones"]):
                    try:
                        _milestone(program, step)
                    except DjangoValidationError as error:
                        raise _indexed(error, index) from None
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(
            self.get_serializer(self.get_queryset().get(pk=program.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ProgramChangeSerializer, responses={200: ProgramSerializer})
    def partial_update(self, request, pk=None):
        self._editor()
        program = self.get_object()
        incoming = ProgramChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        for name, value in incoming.validated_data.items():
            setattr(program, name, value)
        program.save()
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=MilestoneInputSerializer, responses={201: ProgramSerializer})
    @action(detail=True, methods=["post"])
    def milestones(self, request, pk=None):
        """Add a milestone to the program."""
        self._editor()
        program = self.get_object()
        incoming = MilestoneInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            _milestone(program, incoming.validated_data)
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_201_CREATED)


def _indexed(error: DjangoValidationError, index: int) -> DjangoValidationError:
    """A milestone's refusal, named by its place in the list: milestones[2].due_day."""
    if hasattr(error, "error_dict"):
        return DjangoValidationError(
            {f"milestones[{index}].{field}": errors for field, errors in error.error_dict.items()}
        )
    return DjangoValidationError({f"milestones[{index}]": error.messages})


# Enrolments


class StepSerializer(StrictSerializer):
    milestone = serializers.IntegerField(source="milestone.pk")
    name = serializers.CharField(source="milestone.name")
    kind = serializers.CharField(source="milestone.kind")
    due_on = serializers.DateField(source="due")
    state = serializers.CharField()
    done_on = serializers.DateField(source="completion.done_on", allow_null=True, default=None)
    evidence = serializers.CharField(source="completion.evidence", allow_null=True, default=None)
    signed_off_by = serializers.IntegerField(
        source="completion.signed_off_by_id", allow_null=True, default=None
    )
    assessment = serializers.IntegerField(
        source="completion.assessment_id", allow_null=True, default=None
    )


class EnrolmentSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="enrolment-detail")
    # Plain text in the schema: "status" choice sets of other apps would collide with it.
    status = serializers.CharField(help_text="active, completed or withdrawn.")
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "url",
            "person",
            "program",
            "start",
            "status",
            "completed_on",
            "enrolled_by",
            "milestones",
        ]
        read_only_fields = fields

    def get_milestones(self, enrolment: Enrolment) -> list[dict]:
        found = self.context.get("progress", {}).get(enrolment.pk)
        if found is None:
            found = progress.progress_of([enrolment], self.context["today"])[0]
        return StepSerializer(found.steps, many=True).data


class EnrolInputSerializer(StrictSerializer):
    person = serializers.IntegerField()
    program = serializers.IntegerField()
    start = serializers.DateField(
        required=False, help_text="Default: the person's start in their role, else today."
    )


class TrainingInputSerializer(StrictSerializer):
    milestone = serializers.IntegerField()
    evidence = serializers.CharField()
    done_on = serializers.DateField(required=False, help_text="Default: today.")


class RatingInputSerializer(StrictSerializer):
    competency = serializers.IntegerField()
    level = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class CertifyInputSerializer(StrictSerializer):
    milestone = serializers.IntegerField()
    ratings = RatingInputSerializer(many=True)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


ENROLMENT_FILTERS = [
    OpenApiParameter("person", int, description="A person's id: only their enrolments."),
    OpenApiParameter("program", int, description="A program's id."),
    OpenApiParameter("status", str, description="active, completed or withdrawn."),
]


class EnrolmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """People in programs, with each milestone's state (done, done late, due, late)."""

    queryset = Enrolment.objects.none()
    serializer_class = EnrolmentSerializer

    def scope(self):
        return progress.visible_enrolments(self.request.person).order_by("-start", "pk")

    def get_queryset(self):
        rows = self.scope()
        params = self.request.query_params
        errors = {}
        for name in ("person", "program"):
            if params.get(name) is not None:
                rows = rows.filter(**{f"{name}_id": parse_id(params[name]) or 0})
        value = params.get("status")
        if value:
            if value not in EnrolmentStatus.values:
                errors["status"] = [f"Choose one of: {', '.join(EnrolmentStatus.values)}."]
            rows = rows.filter(status=value)
        if errors:
            raise serializers.ValidationError(errors)
        return rows

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        obj = self.scope().filter(pk=pk).select_related("person__organisation").first()
        if obj is None:
            raise Http404
        return obj

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self.request, "person"):
            context["today"] = today_for(self.request.person.organisation)
        return context

    @extend_schema(parameters=ENROLMENT_FILTERS)
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        today = today_for(request.person.organisation)
        progress.sync_metric_milestones(request.person.organisation, rows, today)
        context = self.get_serializer_context()
        context["progress"] = {p.enrolment.pk: p for p in progress.progress_of(rows, today)}
        data = EnrolmentSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        enrolment = self.get_object()
        progress.sync_metric_milestones(request.person.organisation, [enrolment])
        return Response(self.get_serializer(enrolment).data)

    @extend_schema(request=EnrolInputSerializer, responses={201: EnrolmentSerializer})
    def create(self, request):
        """Enrol a person (a manager for their reports, an admin for anyone)."""
        me = request.person
        incoming = EnrolInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        person = Person.objects.filter(organisation=me.organisation, pk=data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": ["No such person."]})
        if not rights.can_enrol(me, person):
            raise PermissionDenied("You may not enrol this person.")
        program = Program.objects.filter(organisation=me.organisation, pk=data["program"]).first()
        if program is None:
            raise serializers.ValidationError({"program": ["No such program."]})
        start = data.get("start") or person.role_since or today_for(me.organisation)
        try:
            enrolment = enrolments.enrol(person=person, program=program, start=start, by=me)
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(enrolment).data, status=status.HTTP_201_CREATED)

    def _milestone(self, enrolment: Enrolment, pk: int) -> Milestone:
        milestone = Milestone.objects.filter(program_id=enrolment.program_id, pk=pk).first()
        if milestone is None:
            raise serializers.ValidationError({"milestone": ["No such milestone in this program."]})
        return milestone

    @extend_schema(request=TrainingInputSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Check a training milestone off with evidence (the person or their manager)."""
        enrolment = self.get_object()
        if not rights.can_complete(request.person, enrolment, MilestoneKind.TRAINING):
            raise PermissionDenied("Only the person or their manager checks training off.")
        incoming = TrainingInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        milestone = self._milestone(enrolment, data["milestone"])
        today = today_for(request.person.organisation)
        try:
            enrolments.complete_training(
                enrolment,
                milestone,
                by=request.person,
                evidence=data["evidence"],
                done_on=data.get("done_on") or today,
                today=today,
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=CertifyInputSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"])
    def certify(self, request, pk=None):
        """A manager's certification: every competency of the template rated; passed or not."""
        enrolment = self.get_object()
        if not rights.can_complete(request.person, enrolment, MilestoneKind.CERTIFICATION):
            raise PermissionDenied("Only a manager of the person signs a certification off.")
        incoming = CertifyInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        milestone = self._milestone(enrolment, data["milestone"])
        ratings = {r["competency"]: (r["level"], r["evidence"]) for r in data["ratings"]}
        try:
            enrolments.certify(
                enrolment,
                milestone,
                by=request.person,
                ratings=ratings,
                today=today_for(request.person.organisation),
                summary=data["summary"],
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(self.get_object()).data)


def register(router: BaseRouter) -> None:
    router.register("programs", ProgramViewSet, basename="program")
    router.register("enrolments", EnrolmentViewSet, basename="enrolment")
