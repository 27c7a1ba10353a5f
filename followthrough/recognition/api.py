"""API: badges, kudos and win and loss stories, with the pages' rules (see api_urls.py).

GET /api/v1/badges/?person= : badges earned by the people whose recognition the caller
sees (teammates, their line; admins the organisation). POST grants one
{person, badge (code), reason}: someone above the person, never oneself.
GET /api/v1/badges/kinds/ : the organisation's badges and how each is earned.
GET /api/v1/kudos/?person= : kudos given or received by those people. POST gives kudos
{recipient, message, deal?, competency?}: budget and flood cap enforced (429 when flooded).
GET /api/v1/stories/?product=&stage=&outcome=&q= : the stories the caller may read.
POST writes one {deal, worked, did_not_work, shared}.
Refusals are field-level 400s; another organisation's rows are 404s.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.assessments.models import Competency
from followthrough.crm.models import Deal
from followthrough.lib.ids import parse_id
from followthrough.people.models import Person
from followthrough.recognition import rights
from followthrough.recognition.badges import AwardRefused, ensure_badges, grant
from followthrough.recognition.kudos import KudosRefused, give_kudos
from followthrough.recognition.models import (
    MESSAGE_LENGTH,
    STORY_LENGTH,
    Badge,
    BadgeAward,
    Kudos,
    Story,
    StoryOutcome,
)
from followthrough.recognition.stories import StoryRefused, search_stories, write_story

urlpatterns: list = []

PERSON = OpenApiParameter("person", int, description="A person's id: only what concerns them.")


class BadgeSerializer(StrictModelSerializer):
    name = serializers.CharField(source="label")
    description = serializers.CharField(source="blurb")

    class Meta:
        model = Badge
        fields = ["code", "name", "description", "rule", "symbol"]
        read_only_fields = fields


class AwardSerializer(StrictModelSerializer):
    badge = BadgeSerializer()
    person_name = serializers.CharField(source="person.name")
    granted_by_name = serializers.CharField(source="granted_by.name", default=None)

    class Meta:
        model = BadgeAward
        fields = [
            "id",
            "person",
            "person_name",
            "badge",
            "awarded_on",
            "reason",
            "granted_by",
            "granted_by_name",
            "source",
            "occasion",
            "evidence",
        ]
        read_only_fields = fields


class GrantSerializer(StrictSerializer):
    person = serializers.IntegerField()
    badge = serializers.CharField(max_length=60, help_text="The badge's code.")
    reason = serializers.CharField(max_length=MESSAGE_LENGTH)


class KudosSerializer(StrictModelSerializer):
    sender_name = serializers.CharField(source="sender.name")
    recipient_name = serializers.CharField(source="recipient.name")

    class Meta:
        model = Kudos
        fields = [
            "id",
            "sender",
            "sender_name",
            "recipient",
            "recipient_name",
            "message",
            "deal",
            "competency",
            "created_at",
        ]
        read_only_fields = fields


class GiveSerializer(StrictSerializer):
    recipient = serializers.IntegerField()
    message = serializers.CharField(max_length=MESSAGE_LENGTH)
    deal = serializers.IntegerField(required=False, allow_null=True, default=None)
    competency = serializers.IntegerField(required=False, allow_null=True, default=None)


class StorySerializer(StrictModelSerializer):
    author_name = serializers.CharField(source="author.name")
    deal_name = serializers.CharField(source="deal.name")
    product_name = serializers.CharField(source="product.name", default=None)

    class Meta:
        model = Story
        fields = [
            "id",
            "deal",
            "deal_name",
            "author",
            "author_name",
            "outcome",
            "product",
            "product_name",
            "stage",
            "worked",
            "did_not_work",
            "shared",
            "created_at",
        ]
        read_only_fields = fields


class WriteSerializer(StrictSerializer):
    deal = serializers.IntegerField()
    worked = serializers.CharField(
        max_length=STORY_LENGTH, required=False, allow_blank=True, default=""
    )
    did_not_work = serializers.CharField(
        max_length=STORY_LENGTH, required=False, allow_blank=True, default=""
    )
    shared = serializers.BooleanField(required=False, default=True)


def _in_org(model, request, pk, field: str):
    """A row of the caller's organisation named by id, or a field-level 400."""
    found = model.objects.filter(
        pk=parse_id(str(pk)) or 0, organisation_id=request.person.organisation_id
    ).first()
    if found is None:
        raise serializers.ValidationError({field: ["No such item in your organisation."]})
    return found


def _people_filter(request, field: str | tuple[str, ...]) -> Q:
    """Rows about the people whose recognition the caller sees, maybe one of them."""
    fields = (field,) if isinstance(field, str) else field
    viewer = request.person
    found = Q(organisation_id=viewer.organisation_id)
    seen = rights.seen_person_ids(viewer)
    raw = request.query_params.get("person")
    if raw:
        pid = parse_id(raw)
        if pid is None or (seen is not None and pid not in seen):
            return Q(pk__in=[])
        seen = {pid}
    if seen is not None:
        any_of = Q()
        for name in fields:
            any_of |= Q(**{f"{name}__in": seen})
        found &= any_of
    return found


class _OneRow:
    def get_object(self):
        obj = self.get_queryset().filter(pk=parse_id(str(self.kwargs.get("pk", ""))) or 0).first()
        if obj is None:
            raise Http404
        return obj


@extend_schema(parameters=[PERSON])
class BadgeViewSet(
    _OneRow, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Badges earned, newest first."""

    queryset = BadgeAward.objects.none()
    serializer_class = AwardSerializer

    def get_queryset(self):
        return (
            BadgeAward.objects.filter(_people_filter(self.request, "person_id"))
            .select_related("badge", "person", "granted_by")
            .order_by("-awarded_on", "-pk")
        )

    @extend_schema(request=GrantSerializer, responses={201: AwardSerializer})
    def create(self, request):
        data = GrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = _in_org(Person, request, data.validated_data["person"], "person")
        badge = ensure_badges(person.organisation).get(data.validated_data["badge"])
        if badge is None:
            raise serializers.ValidationError({"badge": ["There is no such badge."]})
        try:
            row = grant(request.person, person, badge, data.validated_data["reason"])
        except AwardRefused as refused:
            raise serializers.ValidationError({"non_field_errors": [str(refused)]}) from None
        return Response(AwardSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=BadgeSerializer(many=True), parameters=[])
    @action(detail=False, pagination_class=None)
    def kinds(self, request):
        badges = ensure_badges(request.person.organisation).values()
        rows = sorted((b for b in badges if b.is_active), key=lambda b: (b.rule == "", b.code))
        return Response(BadgeSerializer(rows, many=True).data)


@extend_schema(parameters=[PERSON])
class KudosViewSet(
    _OneRow, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Kudos given or received, newest first."""

    queryset = Kudos.objects.none()
    serializer_class = KudosSerializer

    def get_queryset(self):
        return Kudos.objects.filter(
            _people_filter(self.request, ("recipient_id", "sender_id"))
        ).select_related("sender", "recipient")

    @extend_schema(request=GiveSerializer, responses={201: KudosSerializer})
    def create(self, request):
        data = GiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = data.validated_data
        recipient = Person.objects.filter(pk=parse_id(str(found["recipient"])) or 0).first()
        if recipient is None:
            raise serializers.ValidationError({"recipient": ["No such person."]})
        deal = _in_org(Deal, request, found["deal"], "deal") if found["deal"] else None
        competency = None
        if found["competency"]:
            competency = _in_org(Competency, request, found["competency"], "competency")
        try:
            row = give_kudos(
                request.person, recipient, found["message"], deal=deal, competency=competency
            )
        except KudosRefused as refused:
            body = {refused.field or "non_field_errors": [refused.message]}
            code = (
                status.HTTP_429_TOO_MANY_REQUESTS
                if refused.code == "rate_limited"
                else status.HTTP_400_BAD_REQUEST
            )
            return Response(body, status=code)
        return Response(KudosSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("product", int, description="A product's id."),
        OpenApiParameter("stage", str, description="The stage the story is filed under."),
        OpenApiParameter("outcome", str, enum=StoryOutcome.values),
        OpenApiParameter("q", str, description="Words in what worked or did not."),
    ]
)
class StoryViewSet(
    _OneRow, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Win and loss stories, newest first."""

    queryset = Story.objects.none()
    serializer_class = StorySerializer

    def get_queryset(self):
        params = self.request.query_params
        return search_stories(
            self.request.person,
            product=parse_id(params.get("product")),
            stage=params.get("stage", "")[:100],
            outcome=params.get("outcome", ""),
            text=params.get("q", "")[:100],
        )

    @extend_schema(request=WriteSerializer, responses={201: StorySerializer})
    def create(self, request):
        data = WriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = dict(data.validated_data)
        deal = _in_org(Deal, request, found.pop("deal"), "deal")
        try:
            row = write_story(request.person, deal, **found)
        except StoryRefused as refused:
            body = {refused.field or "non_field_errors": [refused.message]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(StorySerializer(row).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("badges", BadgeViewSet, basename="badge")
    router.register("kudos", KudosViewSet, basename="kudos")
    router.register("stories", StoryViewSet, basename="story")
