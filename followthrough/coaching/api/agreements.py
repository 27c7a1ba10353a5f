"""The follow-through's API: agreements and ladder steps, with the pages' rules and checks.

Writes go through the pages' forms and the plain functions behind them, so a refusal
names the same field with the same words. Past agreement versions and ladder steps are
never edited in place: an agreement changes by a new version, a step by its actions.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.filters import date_range
from followthrough.api.strict import StrictHyperlinkedModelSerializer, StrictSerializer
from followthrough.coaching import agreements, ladder, rights
from followthrough.coaching.api.common import LIST_FILTERS, field_errors
from followthrough.coaching.forms_agreements import AgreementForm, LadderOpenForm
from followthrough.coaching.models import (
    Agreement,
    Frequency,
    Interval,
    LadderOutcome,
    LadderStep,
    Step,
)
from followthrough.lib.ids import parse_id
from followthrough.people.lines import in_force, today_for
from followthrough.people.models import ReportingLine, Role

# Extra paths that are not viewsets, under /api/v1/.
urlpatterns: list = []


def _form_errors(form) -> dict:
    return {name: list(messages) for name, messages in form.errors.items()}


# --- Agreements ---------------------------------------------------------------------


class AcknowledgementSerializer(StrictSerializer):
    person = serializers.IntegerField(source="person_id")
    acknowledged_at = serializers.DateTimeField()


class AgreementSerializer(StrictHyperlinkedModelSerializer):
    """One version of an agreement; `acknowledgements` lists the caller's own for a rep."""

    url = serializers.HyperlinkedIdentityField(view_name="agreement-detail")
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    rep = serializers.PrimaryKeyRelatedField(read_only=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True)
    acknowledgements = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "team",
            "rep",
            "version",
            "expectations",
            "self_report_interval",
            "cadence",
            "missed_goals",
            "created_by",
            "created_at",
            "acknowledgements",
        ]
        read_only_fields = fields

    @extend_schema_field(AcknowledgementSerializer(many=True))
    def get_acknowledgements(self, agreement: Agreement) -> list[dict]:
        viewer = self.context["request"].person
        rows = agreement.acknowledgements.all()
        if viewer.role == Role.REP:
            rows = [row for row in rows if row.person_id == viewer.pk]
        return AcknowledgementSerializer(rows, many=True).data


class AgreementInputSerializer(StrictSerializer):
    """A new version: for a team or for one rep (not both)."""

    team = serializers.IntegerField(required=False, allow_null=True)
    rep = serializers.IntegerField(required=False, allow_null=True)
    expectations = serializers.CharField()
    self_report_interval = serializers.ChoiceField(choices=Interval.choices)
    cadence = serializers.ChoiceField(choices=Frequency.choices)
    missed_goals = serializers.CharField()


class AgreementViewSet(viewsets.ModelViewSet):
    """Agreement versions the caller may read; new versions by those who may set them."""

    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        viewer = self.request.person
        rows = Agreement.objects.filter(agreements.visible_filter(viewer))
        if self.action == "list":
            rows = self._filtered(viewer, rows)
        return rows.prefetch_related("acknowledgements").order_by("-created_at", "-pk")

    def _filtered(self, viewer, rows):
        params = self.request.query_params
        start, end = date_range(params)
        if start:
            rows = rows.filter(created_at__date__gte=start)
        if end:
            rows = rows.filter(created_at__date__lte=end)
        if "person" in params:
            person_id = parse_id(params.get("person")) or 0
            team = ReportingLine.objects.filter(
                in_force(today_for(viewer.organisation)), person_id=person_id
            ).values("team_id")
            rows = rows.filter(Q(rep_id=person_id) | Q(rep__isnull=True, team_id__in=team))
        return rows

    @extend_schema(parameters=LIST_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AgreementInputSerializer, responses={201: AgreementSerializer})
    def create(self, request, *args, **kwargs):
        if request.person.role not in rights.MANAGING_ROLES:
            raise PermissionDenied("Your role may not set agreements.")
        incoming = AgreementInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = {key: value if value is not None else "" for key, value in incoming.data.items()}
        form = AgreementForm(data, viewer=request.person)
        if not form.is_valid():
            raise serializers.ValidationError(_form_errors(form))
        try:
            with transaction.atomic():
                saved = form.save()
        except ValidationError as error:
            raise field_errors(error) from None
        saved = self.get_queryset().get(pk=saved.pk)
        body = AgreementSerializer(saved, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The caller acknowledges this version: the one that is current for them."""
        agreement = get_object_or_404(self.get_queryset(), pk=parse_id(pk) or 0)
        try:
            agreements.acknowledge(agreement, request.person)
        except ValidationError as error:
            raise field_errors(error) from None
        agreement = self.get_queryset().get(pk=agreement.pk)
        return Response(AgreementSerializer(agreement, context={"request": request}).data)


# --- Ladder steps -------------------------------------------------------------------


class LadderStepSerializer(StrictHyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="ladderstep-detail")
    rep = serializers.PrimaryKeyRelatedField(read_only=True)
    previous = serializers.PrimaryKeyRelatedField(read_only=True)
    opened_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = LadderStep
        fields = [
            "id",
            "url",
            "rep",
            "step",
            "started_on",
            "review_on",
            "plan",
            "exit_criteria",
            "report_interval",
            "reviewed_on",
            "review",
            "outcome",
            "ended_on",
            "previous",
            "opened_by",
        ]
        read_only_fields = fields


class LadderStepInputSerializer(StrictSerializer):
    rep = serializers.IntegerField()
    step = serializers.ChoiceField(choices=Step.choices)
    started_on = serializers.DateField()
    review_on = serializers.DateField()
    plan = serializers.CharField()
    exit_criteria = serializers.CharField()


class LadderReviewSerializer(StrictSerializer):
    reviewed_on = serializers.DateField()
    review = serializers.CharField()
    next_review_on = serializers.DateField(required=False, allow_null=True)


class LadderCloseSerializer(StrictSerializer):
    outcome = serializers.ChoiceField(
        choices=[(LadderOutcome.LEFT, "left"), (LadderOutcome.CLOSED, "closed")],
        help_text="left: the criteria are met, the rep leaves the ladder; closed: it ends otherwise.",
    )
    ended_on = serializers.DateField()


class LadderStepViewSet(viewsets.ModelViewSet):
    """Ladder steps of the people the caller may see: a rep only their own."""

    queryset = LadderStep.objects.none()
    serializer_class = LadderStepSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        viewer = self.request.person
        rows = LadderStep.objects.filter(rights.visible_filter(viewer, "rep"))
        if self.action == "list":
            params = self.request.query_params
            start, end = date_range(params)
            if start:
                rows = rows.filter(started_on__gte=start)
            if end:
                rows = rows.filter(started_on__lte=end)
            if "person" in params:
                rows = rows.filter(rep_id=parse_id(params.get("person")) or 0)
        return rows.order_by("rep_id", "started_on", "step", "pk")

    @extend_schema(
        parameters=LIST_FILTERS,
        description="Filtered by the day a step started; in order of person and date, "
        "never by step.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=LadderStepInputSerializer, responses={201: LadderStepSerializer})
    def create(self, request, *args, **kwargs):
        if request.person.role not in rights.MANAGING_ROLES:
            raise PermissionDenied("Your role may not open ladder steps.")
        incoming = LadderStepInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        form = LadderOpenForm(dict(incoming.data), viewer=request.person)
        if not form.is_valid():
            raise serializers.ValidationError(_form_errors(form))
        try:
            step = form.save()
        except ValidationError as error:
            raise field_errors(error) from None
        body = LadderStepSerializer(step, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def _coached(self, pk) -> LadderStep:
        step = get_object_or_404(self.get_queryset(), pk=parse_id(pk) or 0)
        if not rights.can_coach(self.request.person, step.rep):
            raise PermissionDenied("This person does not report to you.")
        return step

    @extend_schema(request=LadderReviewSerializer, responses={200: LadderStepSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record the review of an open step (needed before moving up or leaving)."""
        step = self._coached(pk)
        incoming = LadderReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            ladder.record_review(step, by=request.person, **incoming.validated_data)
        except ValidationError as error:
            raise field_errors(error) from None
        return Response(LadderStepSerializer(step, context={"request": request}).data)

    @extend_schema(request=LadderCloseSerializer, responses={200: LadderStepSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """End a reviewed step: `left` (criteria met, off the ladder) or `closed`."""
        step = self._coached(pk)
        incoming = LadderCloseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            ladder.end_step(step, by=request.person, **incoming.validated_data)
        except ValidationError as error:
            raise field_errors(error) from None
        return Response(LadderStepSerializer(step, context={"request": request}).data)


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the coaching router."""
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("ladder-steps", LadderStepViewSet, basename="ladderstep")
