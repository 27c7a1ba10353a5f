"""API: the CRM facts behind every figure, read-only, with the pages' rules.

GET /api/v1/deals/ and /api/v1/activities/ list the deals and activities of the people
the caller may see (a rep: their own, a deal they co-own included; a manager: their
reports'; a leader: their subtree's; an admin: the organisation's), oldest first so that
paging is stable. Filters: `person` (owner, or co-owner for deals), `from` and `until`
(deals: the close date; activities: the day), `outcome` (deals) and `type` (activities).
Facts are written by imports (`/api/v1/ingest/{kind}/`), not here.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from followthrough.api.filters import date_range
from followthrough.api.strict import StrictModelSerializer
from followthrough.crm.choices import ActivityType, Outcome
from followthrough.crm.models import Activity, Deal
from followthrough.lib.ids import parse_id
from followthrough.people import access

PERSON = OpenApiParameter("person", int, description="Only this person's (owner or co-owner).")
FROM = OpenApiParameter("from", dt.date, description="On or after this day (YYYY-MM-DD).")
UNTIL = OpenApiParameter("until", dt.date, description="On or before this day (YYYY-MM-DD).")


class DealSerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="deal-detail")
    owner_name = serializers.CharField(source="owner.name", default=None)
    co_owner_name = serializers.CharField(source="co_owner.name", default=None)
    account_name = serializers.CharField(source="account.name", default=None)
    product_name = serializers.CharField(source="product.name", default=None)

    class Meta:
        model = Deal
        fields = [
            "id",
            "url",
            "source",
            "external_id",
            "name",
            "owner",
            "owner_name",
            "co_owner",
            "co_owner_name",
            "co_owner_percent",
            "account",
            "account_name",
            "product",
            "product_name",
            "amount",
            "currency",
            "created_on",
            "close_on",
            "stage",
            "outcome",
            "deal_type",
            "loss_reason",
            "next_step",
            "next_step_on",
            "imported_at",
        ]
        read_only_fields = fields


class ActivitySerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="activity-detail")
    owner_name = serializers.CharField(source="owner.name", default=None)

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "source",
            "external_id",
            "owner",
            "owner_name",
            "type",
            "direction",
            "is_cold",
            "occurred_at",
            "occurred_on",
            "logged_at",
            "duration_seconds",
            "outcome",
            "subject",
            "deal",
            "account",
            "imported_at",
        ]
        read_only_fields = fields


def _choice(params, name: str, choices) -> str | None:
    value = params.get(name)
    if not value:
        return None
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise serializers.ValidationError({name: [f"Choose one of: {allowed}."]})
    return value


def _person(params) -> int | None:
    if params.get("person") is None:
        return None
    # An id that names nobody matches nothing (an empty list), never an error.
    return parse_id(params.get("person")) or 0


class _Facts(viewsets.ReadOnlyModelViewSet):
    owners: tuple[str, ...] = ("owner_id",)
    date_field = ""

    def visible(self):
        me = self.request.person
        rows = self.queryset.model.objects.filter(organisation_id=me.organisation_id)
        ids = access.visible_person_ids(me)
        if ids is not None:
            seen = Q()
            for field in self.owners:
                seen |= Q(**{f"{field}__in": ids})
            rows = rows.filter(seen)
        return rows

    def filtered(self, rows):
        params = self.request.query_params
        person = _person(params)
        if person is not None:
            mine = Q()
            for field in self.owners:
                mine |= Q(**{field: person})
            rows = rows.filter(mine)
        start, until = date_range(params)
        if start:
            rows = rows.filter(**{f"{self.date_field}__gte": start})
        if until:
            rows = rows.filter(**{f"{self.date_field}__lte": until})
        return rows

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        found = self.get_queryset().filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


@extend_schema(
    parameters=[
        PERSON,
        FROM,
        UNTIL,
        OpenApiParameter("outcome", str, enum=Outcome.values, description="open, won or lost."),
    ]
)
class DealViewSet(_Facts):
    """Deals of the people the caller may see; `from` and `until` bound the close date."""

    queryset = Deal.objects.none()
    serializer_class = DealSerializer
    owners = ("owner_id", "co_owner_id")
    date_field = "close_on"

    def get_queryset(self):
        rows = self.visible()
        if self.action == "list":
            rows = self.filtered(rows)
            outcome = _choice(self.request.query_params, "outcome", Outcome)
            if outcome:
                rows = rows.filter(outcome=outcome)
        return rows.select_related("owner", "co_owner", "account", "product").order_by("pk")


@extend_schema(
    parameters=[
        PERSON,
        FROM,
        UNTIL,
        OpenApiParameter("type", str, enum=ActivityType.values, description="Activity type."),
    ]
)
class ActivityViewSet(_Facts):
    """Activities of the people the caller may see; `from` and `until` bound the day."""

    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    date_field = "occurred_on"

    def get_queryset(self):
        rows = self.visible()
        if self.action == "list":
            rows = self.filtered(rows)
            kind = _choice(self.request.query_params, "type", ActivityType)
            if kind:
                rows = rows.filter(type=kind)
        return rows.select_related("owner").order_by("pk")


def register(router: BaseRouter) -> None:
    router.register("deals", DealViewSet, basename="deal")
    router.register("activities", ActivityViewSet, basename="activity")
