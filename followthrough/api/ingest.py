"""Push CRM records in batches (token auth) and receive signed webhooks."""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from followthrough.api.authentication import IntegrationAuthentication
from followthrough.audit.context import acting_as
from followthrough.ingest.batches import API_KINDS, import_batch
from followthrough.ingest.integrations import signature_problem
from followthrough.ingest.models import Integration, WebhookDelivery


class IsIntegration(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Integration)


def _result(result) -> Response:
    if result.ok:
        run = result.run
        return Response(
            {
                "run": run.pk,
                "created": run.created,
                "updated": run.updated,
                "unchanged": run.unchanged,
            }
        )
    return Response(
        {"run": result.run.pk if result.run else None, "errors": result.errors}, status=400
    )


@extend_schema(
    request=inline_serializer(
        "Batch",
        {
            "records": serializers.ListField(child=serializers.DictField()),
            "source": serializers.CharField(required=False),
            "match": serializers.DictField(child=serializers.CharField(), required=False),
        },
    ),
    responses={200: dict, 400: dict},
    description="Upsert a batch of records by external id, all or nothing. "
    f"kind: one of {', '.join(API_KINDS)}.",
)
@api_view(["POST"])
@authentication_classes([IntegrationAuthentication])
@permission_classes([IsIntegration])
def push_batch(request, kind: str):
    integration: Integration = request.auth
    body = request.data if isinstance(request.data, dict) else {}
    source = body.get("source") or integration.source
    if not isinstance(source, str):
        return Response({"errors": [{"field": "source", "error": "must be text"}]}, status=400)
    with acting_as(name=f"integration:{integration.name}"):
        result = import_batch(
            integration.organisation,
            kind,
            body.get("records"),
            source=source,
            match=body.get("match"),
            label=f"api-{kind}",
        )
    return _result(result)


# Webhook event types and the kind of record their data is.
EVENT_KINDS = {
    "deal.created": "deals",
    "deal.updated": "deals",
    "deal.stage_changed": "deal-history",
    "activity.created": "activities",
    "activity.updated": "activities",
    "account.created": "accounts",
    "account.updated": "accounts",
}


@csrf_exempt
@require_POST
def webhook(request, integration_id: int):
    """A CRM change event, signed with the integration's secret (HMAC-SHA256)."""
    integration = get_object_or_404(Integration, pk=integration_id, is_active=True)
    problem = signature_problem(
        integration,
        request.headers.get("X-Followthrough-Timestamp", ""),
        request.headers.get("X-Followthrough-Signature", ""),
        request.body,
    )
    if problem:
        return JsonResponse({"error": problem}, status=401)
    try:
        event = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    if not isinstance(event, dict):
        return JsonResponse({"error": "the body must be a JSON object"}, status=400)
    event_id, kind = event.get("id"), EVENT_KINDS.get(event.get("type"))
    if not isinstance(event_id, str) or not event_id or len(event_id) > 200:
        return JsonResponse(
            {"errors": [{"field": "id", "error": "an event id is required"}]}, status=400
        )
    if kind is None:
        known = ", ".join(EVENT_KINDS)
        return JsonResponse({"errors": [{"field": "type", "error": f"one of {known}"}]}, status=400)
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(integration=integration, event_id=event_id)
    except IntegrityError:
        return JsonResponse({"error": "this event was delivered already (replay)"}, status=409)
    with acting_as(name=f"integration:{integration.name}"):
        result = import_batch(
            integration.organisation,
            kind,
            [event.get("data")],
            source=integration.source,
            match=event.get("match"),
            label=f"webhook-{event_id[:40]}",
        )
    if not result.ok:
        # A rejected event may be fixed and sent again with the same id.
        delivery.delete()
        return JsonResponse({"errors": result.errors}, status=400)
    delivery.run = result.run
    delivery.save(update_fields=["run"])
    return JsonResponse(
        {"run": result.run.pk, "created": result.run.created, "updated": result.run.updated}
    )
