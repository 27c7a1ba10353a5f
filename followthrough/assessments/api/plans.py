"""API: coaching plans (see assessments/api_urls.py).

The same rules as the pages: the rep and their line read a plan; the rep's managers
start, re-evaluate and close it. Lists filter by `person`, `status` and the start
date (`from`/`until`). Refusals of what was sent are field-level 400s.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.assessments import plans as logic
from followthrough.assessments import rights
from followthrough.assessments.api.common import RepRecordsMixin
from followthrough.assessments.models import Assessment, CoachingPlan, PlanStatus
from followthrough.coaching.api.common import LIST_FILTERS, field_errors, run_action
from followthrough.people.lines import today_for
from followthrough.people.models import Person

urlpatterns: list = []

PLAN_FILTERS = [
    *LIST_FILTERS,
    OpenApiParameter("status", str, enum=PlanStatus.values, description="Only plans in it."),
]


class ComparisonSerializer(StrictSerializer):
    competency = serializers.IntegerField(source="competency_id")
    name = serializers.CharField()
    focus = serializers.BooleanField()
    before = serializers.CharField()
    after = serializers.CharField()
    change = serializers.CharField(help_text="up, down, same, or empty while a side is missing.")


class PlanSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="coaching-plan-detail")
    # A plain string in the schema: its own "status" enum would collide with the others'.
    status = serializers.CharField(read_only=True, help_text="active, reevaluated or cancelled.")
    focus_areas = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()

    class Meta:
        model = CoachingPlan
        fields = [
            "id",
            "url",
            "rep",
            "manager",
            "goal",
            "start",
            "reevaluate_on",
            "status",
            "baseline",
            "reevaluation",
            "outcome",
            "focus_areas",
            "commitments",
        ]
        read_only_fields = fields

    def get_focus_areas(self, plan: CoachingPlan) -> list[int]:
        return [f.pk for f in plan.focus_areas.all()]

    def get_commitments(self, plan: CoachingPlan) -> list[int]:
        return [link.commitment_id for link in plan.links.all()]


class PlanDetailSerializer(PlanSerializer):
    before_after = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "before_after"]
        read_only_fields = fields

    @extend_schema_field(ComparisonSerializer(many=True))
    def get_before_after(self, plan: CoachingPlan) -> list[dict]:
        viewer = self.context["request"].person
        after = logic.standing_version(plan.reevaluation)
        if after is not None and not after.is_submitted:
            after = None
        see_before = rights.can_view_assessment(viewer, plan.baseline)
        see_after = after is not None and rights.can_view_assessment(viewer, after)
        rows = logic.compare(plan, after=after)
        return [
            ComparisonSerializer(
                {
                    "competency_id": row.competency_id,
                    "name": row.name,
                    "focus": row.focus,
                    "before": row.before if see_before else "",
                    "after": row.after if see_after else "",
                    "change": row.change if see_before and see_after else "",
                }
            ).data
            for row in rows
        ]


class CommitmentLineSerializer(StrictSerializer):
    text = serializers.CharField(max_length=500)
    due_on = serializers.DateField(required=False, allow_null=True, help_text="Required.")


class PlanInputSerializer(StrictSerializer):
    rep = serializers.IntegerField()
    baseline = serializers.IntegerField(help_text="A submitted manager assessment or observation.")
    goal = serializers.CharField(max_length=500)
    start = serializers.DateField()
    reevaluate_on = serializers.DateField(help_text="Three to six months after the start.")
    focus_areas = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )
    competencies = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="New focus areas, from the baseline's competencies (team limit applies).",
    )
    commitments = CommitmentLineSerializer(many=True, required=False, default=list)


class CloseInputSerializer(StrictSerializer):
    outcome = serializers.CharField()


class EmptyInputSerializer(StrictSerializer):
    pass


class CoachingPlanViewSet(
    RepRecordsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Coaching plans of the people the caller may see."""

    queryset = CoachingPlan.objects.none()
    serializer_class = PlanSerializer
    status_values = tuple(PlanStatus.values)
    status_error = "Choose a plan status."
    date_field = "start"

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action != "list" else PlanSerializer

    def scope(self):
        return (
            logic.plans_visible(self.request.person)
            .select_related("baseline__template", "reevaluation")
            .prefetch_related("focus_areas", "links")
            .order_by("-start", "pk")
        )

    @extend_schema(parameters=PLAN_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PlanInputSerializer, responses={201: PlanDetailSerializer})
    def create(self, request):
        """Start a plan for a rep the caller manages, from a submitted baseline."""
        me = request.person
        incoming = PlanInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rep = Person.objects.filter(organisation=me.organisation, pk=data["rep"]).first()
        if rep is None or not rights.can_coach(me, rep):
            raise serializers.ValidationError(
                {"rep": ["Only a manager of the rep starts a coaching plan."]}
            )
        baseline = Assessment.objects.filter(
            organisation=me.organisation, pk=data["baseline"]
        ).first()
        try:
            plan = logic.create_plan(
                by=me,
                rep=rep,
                baseline=baseline,
                goal=data["goal"],
                start=data["start"],
                reevaluate_on=data["reevaluate_on"],
                focus_ids=data["focus_areas"],
                competency_ids=data["competencies"],
                commitments=[
                    logic.NewCommitment(c["text"], c.get("due_on")) for c in data["commitments"]
                ],
                today=today_for(me.organisation),
            )
        except DjangoValidationError as error:
            raise field_errors(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        plan = self.get_object_for(plan.pk)
        return Response(
            PlanDetailSerializer(plan, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def get_object_for(self, pk: int) -> CoachingPlan:
        return self.scope().get(pk=pk)

    @extend_schema(request=EmptyInputSerializer, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def reevaluate(self, request, pk=None):
        """Start the re-evaluation: a manager assessment on the baseline's template version."""
        plan = self.get_object()
        return run_action(
            self,
            request,
            plan,
            allowed=rights.can_coach(request.person, plan.rep),
            refusal="Only a manager of the rep re-evaluates.",
            inputs=EmptyInputSerializer,
            act=lambda data: (logic.reevaluate(plan, by=request.person), plan.refresh_from_db()),
        )

    @extend_schema(request=CloseInputSerializer, responses={200: PlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close as re-evaluated, once the re-evaluation is submitted, with the outcome."""
        plan = self.get_object()
        return run_action(
            self,
            request,
            plan,
            allowed=rights.can_coach(request.person, plan.rep),
            refusal="Only a manager of the rep closes the plan.",
            inputs=CloseInputSerializer,
            act=lambda data: logic.close_plan(plan, by=request.person, outcome=data["outcome"]),
        )


def register(router: BaseRouter) -> None:
    router.register("coaching-plans", CoachingPlanViewSet, basename="coaching-plan")
