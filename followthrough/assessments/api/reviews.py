"""API: periodic reviews (see assessments/api_urls.py).

The same rules as the pages: the rep and their line read reviews, but a rep never
sees a draft of their own; the rep's managers open, write and share them; only the
rep acknowledges, and only once shared. Lists filter by `person`, `status` and the
period start (`from`/`until`). A review's `record` is the frozen assembly once shared
(the live one while a draft).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.assessments import reviews as logic
from followthrough.assessments import rights
from followthrough.assessments.api.common import RepRecordsMixin
from followthrough.assessments.models import Review, ReviewStatus
from followthrough.coaching.api.common import LIST_FILTERS, field_errors, run_action
from followthrough.people.lines import today_for
from followthrough.people.models import Person

urlpatterns: list = []

REVIEW_FILTERS = [
    *LIST_FILTERS,
    OpenApiParameter("status", str, enum=ReviewStatus.values, description="Only reviews in it."),
]


class ReviewSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="review-detail")
    # A plain string in the schema: its own "status" enum would collide with the others'.
    status = serializers.CharField(read_only=True, help_text="draft, shared or acknowledged.")

    class Meta:
        model = Review
        fields = [
            "id",
            "url",
            "rep",
            "manager",
            "period_start",
            "period_end",
            "status",
            "summary",
            "shared_at",
            "acknowledged_at",
            "rep_comment",
        ]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    record = serializers.SerializerMethodField()
    commitments = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "record", "commitments"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_record(self, review: Review) -> dict:
        return logic.content(review)

    def get_commitments(self, review: Review) -> list[int]:
        return [link.commitment_id for link in review.links.all()]


class ReviewOpenInputSerializer(StrictSerializer):
    rep = serializers.IntegerField()
    period_start = serializers.DateField(
        required=False, help_text="Default: the start of the last full review period."
    )


class ShareInputSerializer(StrictSerializer):
    summary = serializers.CharField(
        required=False, allow_blank=True, help_text="Default: the summary saved already."
    )


class AcknowledgeInputSerializer(StrictSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewViewSet(
    RepRecordsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reviews of the people the caller may see (never a draft of the caller's own)."""

    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    status_values = tuple(ReviewStatus.values)
    status_error = "Choose a review status."
    date_field = "period_start"

    def get_serializer_class(self):
        return ReviewSerializer if self.action == "list" else ReviewDetailSerializer

    def scope(self):
        return (
            logic.reviews_visible(self.request.person)
            .select_related("rep__organisation", "manager", "organisation")
            .prefetch_related("links")
            .order_by("-period_start", "pk")
        )

    @extend_schema(parameters=REVIEW_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ReviewOpenInputSerializer, responses={201: ReviewDetailSerializer})
    def create(self, request):
        """Open a draft review of a rep the caller manages, for a period."""
        me = request.person
        incoming = ReviewOpenInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        rep = Person.objects.filter(organisation=me.organisation, pk=data["rep"]).first()
        if rep is None or not rights.can_coach(me, rep):
            raise serializers.ValidationError(
                {"rep": ["Only a manager of the rep opens a review."]}
            )
        today = today_for(me.organisation)
        start = data.get("period_start") or logic.last_period(rep, today)[0]
        try:
            review = logic.open_review(by=me, rep=rep, period_start=start, today=today)
        except DjangoValidationError as error:
            raise field_errors(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        body = ReviewDetailSerializer(
            self.scope().get(pk=review.pk), context=self.get_serializer_context()
        )
        return Response(body.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ShareInputSerializer, responses={200: ReviewDetailSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """Freeze the record and show the review to the rep (a summary is required)."""
        review = self.get_object()

        def act(data):
            logic.share(review, by=request.person, summary=data.get("summary"))
            review.refresh_from_db()

        return run_action(
            self,
            request,
            review,
            allowed=rights.can_write_review(request.person, review),
            refusal="Only a manager of the rep shares the review.",
            inputs=ShareInputSerializer,
            act=act,
        )

    @extend_schema(request=AcknowledgeInputSerializer, responses={200: ReviewDetailSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The rep has read their shared review, with an optional comment."""
        review = self.get_object()
        me = request.person
        if me.pk == review.rep_id and review.status != ReviewStatus.SHARED:
            raise serializers.ValidationError(
                {"non_field_errors": ["Only a shared review is acknowledged, once."]}
            )
        return run_action(
            self,
            request,
            review,
            allowed=rights.can_acknowledge_review(me, review),
            refusal="Only the rep acknowledges their review.",
            inputs=AcknowledgeInputSerializer,
            act=lambda data: logic.acknowledge(review, by=me, comment=data["comment"]),
        )


def register(router: BaseRouter) -> None:
    router.register("reviews", ReviewViewSet, basename="review")
