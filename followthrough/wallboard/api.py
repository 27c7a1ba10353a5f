"""API: wallboard links, with the links page's rules.

GET /api/v1/wallboards/ : the links the caller may manage (managers for their teams'
contests and leaderboards, leaders for their subtree's, admins for the organisation's),
each with its TV address. POST makes one {name, shows, contest | team, metric_key,
period, rank_by, top_n}, checked by the links page's own form. POST
/api/v1/wallboards/{id}/revoke/ revokes it: the TV shows nothing from its next poll.
Reps are refused (403); another organisation's links are 404s.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from followthrough.api.strict import StrictModelSerializer, StrictSerializer
from followthrough.lib.ids import parse_id
from followthrough.wallboard import board, rights, sharing
from followthrough.wallboard.forms import LinkForm
from followthrough.wallboard.models import BoardPeriod, Shows, WallboardLink


class LinkSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="wallboard-detail")
    wall_url = serializers.SerializerMethodField(
        help_text="The TV's address: no login needed, so share it like a password."
    )
    created_by_name = serializers.CharField(source="created_by.name", default=None)
    revoked_by_name = serializers.CharField(source="revoked_by.name", default=None)

    class Meta:
        model = WallboardLink
        fields = [
            "id",
            "url",
            "name",
            "shows",
            "contest",
            "team",
            "metric_key",
            "period",
            "rank_by",
            "top_n",
            "wall_url",
            "created_by_name",
            "created_at",
            "revoked_at",
            "revoked_by_name",
        ]
        read_only_fields = fields

    def get_wall_url(self, link: WallboardLink) -> str | None:
        if link.is_revoked:
            return None
        return self.context["request"].build_absolute_uri(reverse("wall", args=[link.token]))


class LinkInputSerializer(StrictSerializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    shows = serializers.ChoiceField(choices=Shows.choices, default=Shows.CONTEST)
    contest = serializers.IntegerField(required=False, allow_null=True, default=None)
    team = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Empty: the whole organisation."
    )
    metric_key = serializers.CharField(required=False, allow_blank=True, default="")
    period = serializers.ChoiceField(choices=BoardPeriod.choices, default=BoardPeriod.MONTH)
    rank_by = serializers.CharField(required=False, default="target")
    top_n = serializers.IntegerField(required=False, default=5)


class WallboardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Wallboard links the caller may manage, newest first."""

    serializer_class = LinkSerializer
    queryset = WallboardLink.objects.none()
    pagination_class = None  # a handful per team

    def _runner(self):
        me = self.request.person
        if not rights.may_share(me):
            raise PermissionDenied("Your role may not share wallboards.")
        return me

    def get_queryset(self):
        links = rights.links_for(self._runner())
        return sorted(links, key=lambda link: (link.created_at, link.pk), reverse=True)

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        found = next((link for link in self.get_queryset() if link.pk == pk), None)
        if found is None:
            raise Http404
        return found

    @extend_schema(request=LinkInputSerializer, responses={201: LinkSerializer})
    def create(self, request):
        me = self._runner()
        incoming = LinkInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["contest"] = data["contest"] or ""
        data["team"] = "" if data["team"] is None else str(data["team"])
        form = LinkForm(data, viewer=me)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        link = sharing.create_link(me, **form.link_fields())
        body = LinkSerializer(link, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: LinkSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = self.get_object()
        sharing.revoke(link, request.person)
        board.forget(link)
        return Response(LinkSerializer(link, context={"request": request}).data)


def register(router: BaseRouter) -> None:
    router.register("wallboards", WallboardViewSet, basename="wallboard")
