"""The follow-through's API: commitments, self-reports and problems raised ("I'm stuck").

The same rules and logic as the pages: a rep gets their own items, a manager those
of their reports. Lists filter by `person` and a date range (`from`/`until`: the due
date of commitments, the start of self-report periods, the day problems were raised).
Refusals of what was sent are field-level 400s; nothing is saved.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path  # noqa: F401
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.filters import date_range
from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.coaching import commitments as logic
from followthrough.coaching import problems as stuck
from followthrough.coaching import rights, selfreports
from followthrough.coaching.api.common import (
    LIST_FILTERS,
    field_errors,
    org_person,
    org_row,
    run_action,
)
from followthrough.coaching.models import Commitment, Meeting, Problem, SelfReport
from followthrough.crm.models import Deal
from followthrough.goals.models import Goal
from followthrough.lib.ids import parse_id
from followthrough.people.lines import today_for

# Extra paths that are not viewsets, under /api/v1/.
urlpatterns: list = []


class ScopedViewSet(viewsets.GenericViewSet):
    """Lists of what the caller may see, filtered by person and a date range."""

    person_field = "owner"
    date_field = "due_on"

    def scope(self):
        raise NotImplementedError

    def get_queryset(self):
        rows = self.scope()
        params = self.request.query_params
        person = parse_id(params.get("person"))
        if params.get("person") is not None:
            rows = rows.filter(**{f"{self.person_field}_id": person or 0})
        start, until = date_range(params)
        if start:
            rows = rows.filter(**{f"{self.date_field}__gte": start})
        if until:
            rows = rows.filter(**{f"{self.date_field}__lte": until})
        return rows

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        obj = self.scope().filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj


# Commitments


class CommitmentSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="commitment-detail")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "url",
            "owner",
            "text",
            "created_on",
            "due_on",
            "status",
            "overdue",
            "evidence",
            "closed_on",
            "meeting",
            "metric_key",
            "goal",
            "deal",
            "created_by",
        ]
        read_only_fields = fields

    def get_overdue(self, commitment: Commitment) -> bool:
        return logic.is_overdue(commitment, self.context["today"])


class CommitmentInputSerializer(StrictSerializer):
    owner = serializers.IntegerField(required=False, help_text="Default: the caller.")
    text = serializers.CharField(max_length=500)
    due_on = serializers.DateField(required=False, allow_null=True, help_text="Required.")
    meeting = serializers.IntegerField(required=False, allow_null=True)
    metric_key = serializers.CharField(required=False, allow_blank=True, default="")
    goal = serializers.IntegerField(required=False, allow_null=True)
    deal = serializers.IntegerField(required=False, allow_null=True)


class CommitmentChangeSerializer(StrictSerializer):
    text = serializers.CharField(max_length=500, required=False)
    due_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=["done", "dropped", "missed", "open"], required=False)
    evidence = serializers.CharField(required=False, allow_blank=True)


class CommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Commitments: the caller's own, and those of the people reporting to them."""

    queryset = Commitment.objects.none()
    serializer_class = CommitmentSerializer

    def scope(self):
        return logic.visible_commitments(self.request.person).order_by("due_on", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self.request, "person"):
            context["today"] = today_for(self.request.person.organisation)
        return context

    @extend_schema(parameters=LIST_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CommitmentInputSerializer, responses={201: CommitmentSerializer})
    def create(self, request):
        me = request.person
        incoming = CommitmentInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        owner = org_person(me, data["owner"], "owner") if data.get("owner") else me
        if not rights.can_commit_for(me, owner):
            raise serializers.ValidationError(
                {"owner": ["You may not make commitments for this person."]}
            )
        meeting = org_row(Meeting, me, data.get("meeting"), "meeting")
        goal = org_row(Goal, me, data.get("goal"), "goal")
        deal = org_row(Deal, me, data.get("deal"), "deal")
        if goal is not None and goal.person_id != owner.pk:
            raise serializers.ValidationError({"goal": ["Choose one of the owner's own goals."]})
        if deal is not None and deal.owner_id != owner.pk:
            raise serializers.ValidationError({"deal": ["Choose one of the owner's own deals."]})
        try:
            commitment = logic.make_commitment(
                by=me,
                owner=owner,
                text=data["text"],
                due_on=data.get("due_on"),
                meeting=meeting,
                metric_key=data.get("metric_key", ""),
                goal=goal,
                deal=deal,
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        body = self.get_serializer(commitment).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommitmentChangeSerializer, responses={200: CommitmentSerializer})
    def partial_update(self, request, pk=None):
        me = request.person
        commitment = self.get_object()
        if not rights.can_update_commitment(me, commitment):
            raise PermissionDenied("You may not change this commitment.")
        incoming = CommitmentChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            if "due_on" in data:
                logic.check_dates(data["due_on"], commitment.created_on)
                commitment.due_on = data["due_on"]
            if data.get("text", "").strip():
                commitment.text = data["text"].strip()
            if "due_on" in data or "text" in data:
                commitment.save()
            new_status = data.get("status")
            if new_status == "open":
                logic.reopen_commitment(commitment, by=me)
            elif new_status:
                logic.close_commitment(
                    commitment, by=me, status=new_status, evidence=data.get("evidence", "")
                )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(commitment).data)


# Self-reports


class SelfReportSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="self-report-detail")
    state = serializers.SerializerMethodField()

    class Meta:
        model = SelfReport
        fields = [
            "id",
            "url",
            "rep",
            "period_start",
            "period_end",
            "due_on",
            "state",
            "submitted_at",
            "results",
            "coached_on",
            "changed",
            "metric_key",
            "next_steps",
            "reviewed_by",
            "reviewed_at",
            "manager_comment",
        ]
        read_only_fields = fields

    def get_state(self, report: SelfReport) -> str:
        return str(selfreports.state_of(report, self.context["today"]))


class SelfReportInputSerializer(StrictSerializer):
    rep = serializers.IntegerField(required=False, help_text="Only the caller: default.")
    period_start = serializers.DateField(
        required=False, help_text="The period's first day; default: the current period."
    )
    results = serializers.CharField()
    coached_on = serializers.CharField(required=False, allow_blank=True, default="")
    changed = serializers.CharField(required=False, allow_blank=True, default="")
    metric_key = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewInputSerializer(StrictSerializer):
    manager_comment = serializers.CharField(required=False, allow_blank=True, default="")


class SelfReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Self-reports: the caller's own, and those of the reps reporting to them."""

    queryset = SelfReport.objects.none()
    serializer_class = SelfReportSerializer
    person_field = "rep"
    date_field = "period_start"

    def scope(self):
        return (
            selfreports.visible_reports(self.request.person)
            .select_related("rep__organisation")
            .order_by("-period_start", "rep_id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self.request, "person"):
            context["today"] = today_for(self.request.person.organisation)
        return context

    @extend_schema(parameters=LIST_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=SelfReportInputSerializer, responses={201: SelfReportSerializer})
    def create(self, request):
        """Submit the caller's own report of a period (the current one by default)."""
        me = request.person
        incoming = SelfReportInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data.get("rep") and data["rep"] != me.pk:
            raise serializers.ValidationError({"rep": ["You write only your own self-report."]})
        try:
            if data.get("period_start"):
                report = selfreports.report_for(me, data["period_start"])
            else:
                report = selfreports.current_report(me)
            report = selfreports.write_self_report(
                report, by=me, **{name: data.get(name, "") for name in selfreports.WRITTEN_FIELDS}
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        except DjangoPermissionDenied:
            raise serializers.ValidationError(
                {"rep": ["You write only your own self-report."]}
            ) from None
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewInputSerializer, responses={200: SelfReportSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """A manager of the rep marks a submitted report reviewed, with a comment."""
        report = self.get_object()
        return run_action(
            self,
            request,
            report,
            allowed=rights.can_review_self_report(request.person, report),
            refusal="Only a manager of the rep reviews their self-report.",
            inputs=ReviewInputSerializer,
            act=lambda data: selfreports.review_self_report(
                report, by=request.person, comment=data["manager_comment"]
            ),
        )


# Problems raised


class ProblemSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="problem-detail")

    class Meta:
        model = Problem
        fields = [
            "id",
            "url",
            "rep",
            "manager",
            "text",
            "deal",
            "goal",
            "raised_at",
            "status",
            "resolution",
            "resolved_at",
            "meeting",
        ]
        read_only_fields = fields


class ProblemInputSerializer(StrictSerializer):
    rep = serializers.IntegerField(required=False, help_text="Only the caller: default.")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    deal = serializers.IntegerField(required=False, allow_null=True)
    goal = serializers.IntegerField(required=False, allow_null=True)


class ResolveInputSerializer(StrictSerializer):
    resolution = serializers.CharField()


class ProblemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Problems raised ("I'm stuck"): the caller's own, and those of their reports."""

    queryset = Problem.objects.none()
    serializer_class = ProblemSerializer
    person_field = "rep"
    date_field = "raised_at__date"

    def scope(self):
        return stuck.visible_problems(self.request.person).order_by("-raised_at", "-pk")

    @extend_schema(parameters=LIST_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProblemInputSerializer, responses={201: ProblemSerializer})
    def create(self, request):
        """Raise the caller's own problem; their manager is notified at once."""
        me = request.person
        incoming = ProblemInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if data.get("rep") and data["rep"] != me.pk:
            raise serializers.ValidationError({"rep": ["You raise only your own problems."]})
        deal = org_row(Deal, me, data.get("deal"), "deal")
        goal = org_row(Goal, me, data.get("goal"), "goal")
        try:
            problem = stuck.raise_problem(by=me, rep=me, text=data["text"], deal=deal, goal=goal)
        except DjangoValidationError as error:
            raise field_errors(error) from None
        return Response(self.get_serializer(problem).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResolveInputSerializer, responses={200: ProblemSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        problem = self.get_object()
        return run_action(
            self,
            request,
            problem,
            allowed=rights.can_resolve_problem(request.person, problem),
            refusal="You may not resolve this problem.",
            inputs=ResolveInputSerializer,
            act=lambda data: stuck.resolve_problem(
                problem, by=request.person, resolution=data["resolution"]
            ),
        )


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the coaching router."""
    router.register("commitments", CommitmentViewSet, basename="commitment")
    router.register("self-reports", SelfReportViewSet, basename="self-report")
    router.register("problems", ProblemViewSet, basename="problem")
