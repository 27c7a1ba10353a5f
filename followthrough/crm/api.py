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
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from followthrough.api.filters import one_or_404, within_dates
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
    # The list's one choice filter: (query parameter and field, its choices).
    choice: tuple[str, type] = ("", None)
    related: tuple[str, ...] = ("owner",)

    def get_queryset(self):
        rows = self.visible()
        if self.action == "list":
            rows = self.filtered(rows)
            name, choices = self.choice
            value = _choice(self.request.query_params, name, choices)
            if value:
                rows = rows.filter(**{name: value})
        return rows.select_related(*self.related).order_by("pk")

    def visible(self):
        me = self.request.person
        rows = self.queryset.model.objects.filter(organisation_id=me.organisation_id)
        ids = access.visible_person_ids(me)
        if ids is not None:
            rows = rows.filter(self._any_owner("__in", ids))
        return rows

    def filtered(self, rows):
        params = self.request.query_params
        person = _person(params)
        if person is not None:
            rows = rows.filter(self._any_owner("", person))
        return within_dates(rows, self.date_field, params)

    def _any_owner(self, lookup: str, value) -> Q:
        found = Q()
        for field in self.owners:
            found |= Q(**{f"{field}{lookup}": value})
        return found

    def get_object(self):
        return one_or_404(self.get_queryset(), self.kwargs.get("pk"))


def _list_filters(name: str, choices, description: str) -> list[OpenApiParameter]:
    """The facts lists' query parameters: person, dates and the list's one choice filter."""
    return [
        PERSON,
        FROM,
        UNTIL,
        OpenApiParameter(name, str, enum=choices.values, description=description),
    ]


@extend_schema(parameters=_list_filters("outcome", Outcome, "open, won or lost."))
class DealViewSet(_Facts):
    """Deals of the people the caller may see; `from` and `until` bound the close date."""

    queryset = Deal.objects.none()
    serializer_class = DealSerializer
    owners = ("owner_id", "co_owner_id")
    date_field = "close_on"
    choice = ("outcome", Outcome)
    related = ("owner", "co_owner", "account", "product")


@extend_schema(parameters=_list_filters("type", ActivityType, "Activity type."))
class ActivityViewSet(_Facts):
    """Activities of the people the caller may see; `from` and `until` bound the day."""

    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    date_field = "occurred_on"
    choice = ("type", ActivityType)


def register(router: BaseRouter) -> None:
    router.register("deals", DealViewSet, basename="deal")
    router.register("activities", ActivityViewSet, basename="activity")
