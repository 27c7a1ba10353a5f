"""API: one's own notification settings, and (admins) the ledger of messages sent.

GET/PATCH /api/v1/notifications/settings/ : the caller's own choices (digest, reminders,
language, time zone); nobody reads or changes another person's. GET
/api/v1/notifications/deliveries/ (?status=failed) : every message of the organisation
with its attempts and error, for admins only (others get 403).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, viewsets
from rest_framework.routers import BaseRouter

from followthrough.api.permissions import IsOrgAdmin
from followthrough.api.strict import StrictModelSerializer
from followthrough.notify import preferences
from followthrough.notify.models import Delivery, Preference, Status


class PreferenceSerializer(StrictModelSerializer):
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null until the person first chooses."
    )

    class Meta:
        model = Preference
        fields = ["digest", "reminders", "language", "timezone", "updated_at"]
        read_only_fields = ["updated_at"]


class DeliverySerializer(StrictModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="delivery-detail")
    person_name = serializers.CharField(source="person.name", default=None)
    team_name = serializers.CharField(source="team.name", default=None)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "url",
            "person",
            "person_name",
            "team",
            "team_name",
            "channel",
            "kind",
            "key",
            "subject",
            "status",
            "attempts",
            "next_try_at",
            "error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class OwnSettings(generics.RetrieveUpdateAPIView):
    """The caller's own notification settings."""

    serializer_class = PreferenceSerializer
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> Preference:
        return preferences.preference_of(self.request.person)


@extend_schema(
    parameters=[OpenApiParameter("status", enum=Status.values, description="Only this status.")]
)
class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisation's messages, newest first (admins only)."""

    serializer_class = DeliverySerializer
    permission_classes = [IsOrgAdmin]
    queryset = Delivery.objects.none()

    def get_queryset(self):
        rows = Delivery.objects.filter(
            organisation_id=self.request.person.organisation_id
        ).select_related("person", "team")
        status = self.request.query_params.get("status")
        if status:
            if status not in Status.values:
                raise serializers.ValidationError({"status": f"One of {', '.join(Status.values)}."})
            rows = rows.filter(status=status)
        return rows.order_by("-created_at", "-pk")


def register(router: BaseRouter) -> None:
    router.register("notifications/deliveries", DeliveryViewSet, basename="delivery")
