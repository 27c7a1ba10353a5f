"""The ingest API: push CRM records in batches (integration tokens), receive signed webhooks."""

from __future__ import annotations

import json
import re

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import authentication, exceptions, serializers
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from followthrough.api.limits import MAX_BATCH_BYTES
from followthrough.api.throttling import AddressRateThrottle, IntegrationRateThrottle
from followthrough.audit.context import acting_as
from followthrough.ingest.batches import API_KINDS, MAX_RECORDS, import_batch
from followthrough.ingest.integrations import integration_for_token, signature_problem
from followthrough.ingest.mapping import MATCHES
from followthrough.ingest.models import Integration, WebhookDelivery
from followthrough.people.tokens import TOKEN_PREFIX as PERSONAL_TOKEN_PREFIX

SOURCE = re.compile(r"[A-Za-z0-9_-]{1,40}")
# The batch is staged in a file named after its label: an event id may hold any character.
UNSAFE_IN_LABEL = re.compile(r"[^A-Za-z0-9_.-]")


class IntegrationAuthentication(authentication.BaseAuthentication):
    """Integration tokens: `Authorization: Bearer ft_...`, scoped to one organisation."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.")
        if header[1].startswith(PERSONAL_TOKEN_PREFIX):
            # A person's own token: AccessTokenAuthentication's to accept or refuse.
            return None
        integration = integration_for_token(header[1])
        if integration is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        return integration, integration

    def authenticate_header(self, request):
        return self.keyword


class IntegrationAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes integration tokens in the OpenAPI schema."""

    target_class = IntegrationAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An integration's token (ft_...), created with "
            "`followthrough integration`; it acts for one organisation only.",
        }


class IsIntegration(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, Integration)


# The request and response shapes, for the OpenAPI schema.
MATCH_FIELD = serializers.DictField(
    child=serializers.ChoiceField(choices=sorted(MATCHES)),
    required=False,
    help_text="How references are found, per field: e.g. {'owner': 'email'}. "
    "Default: by external id.",
)
ERRORS = inline_serializer(
    "IngestErrors",
    {
        "run": serializers.IntegerField(allow_null=True, required=False),
        "errors": inline_serializer(
            "IngestError",
            {
                "index": serializers.IntegerField(
                    allow_null=True, required=False, help_text="The record's position."
                ),
                "field": serializers.CharField(required=False),
                "value": serializers.CharField(required=False),
                "error": serializers.CharField(),
            },
            many=True,
        ),
    },
)
REFUSED = inline_serializer("WebhookRefused", {"error": serializers.CharField()})


def envelope_errors(records: object, source: object, match: object) -> list[dict]:
    """Problems with a batch's envelope and values the importer cannot be given."""
    errors: list[dict] = []
    if source is not None and not (isinstance(source, str) and SOURCE.fullmatch(source)):
        errors.append({"field": "source", "error": "1 to 40 letters, digits, - or _"})
    if match is not None:
        if not isinstance(match, dict):
            errors.append({"field": "match", "error": "an object of field: how to find it"})
        else:
            for name, how in match.items():
                if not isinstance(how, str) or how not in MATCHES:
                    errors.append(
                        {"field": f"match.{name}", "error": f"one of {', '.join(sorted(MATCHES))}"}
                    )
    for index, record in enumerate(records if isinstance(records, list) else []):
        for name, value in record.items() if isinstance(record, dict) else []:
            # A NUL cannot be stored in a text column (PostgreSQL refuses it).
            if isinstance(value, str) and "\x00" in value:
                errors.append({"index": index, "field": name, "error": "contains a NUL character"})
    return errors


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
    operation_id="ingest_batch",
    parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(API_KINDS))],
    request=inline_serializer(
        "IngestBatch",
        {
            "records": serializers.ListField(
                child=serializers.DictField(),
                max_length=MAX_RECORDS,
                help_text="Objects keyed by field name (the fields of docs/import.md); "
                "upserted by external_id.",
            ),
            "source": serializers.CharField(
                required=False, help_text="The source system; default: the integration's."
            ),
            "match": MATCH_FIELD,
        },
    ),
    responses={
        200: inline_serializer(
            "IngestResult",
            {
                "run": serializers.IntegerField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
            },
        ),
        400: ERRORS,
        413: ERRORS,
    },
    description="Upsert a batch of records by external id, all or nothing: one bad record "
    "and nothing is written; the errors name each record (index) and field.",
)
@api_view(["POST"])
@authentication_classes([IntegrationAuthentication])
@permission_classes([IsIntegration])
@throttle_classes([IntegrationRateThrottle])
def push_batch(request, kind: str):
    integration: Integration = request.auth
    # DRF parses JSON from the stream without Django's body limit: refuse a huge batch unread.
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > MAX_BATCH_BYTES:
        error = f"a batch is at most {MAX_BATCH_BYTES:,} bytes: send fewer records per request"
        return Response({"run": None, "errors": [{"field": "records", "error": error}]}, 413)
    body = request.data if isinstance(request.data, dict) else {}
    records, source, match = body.get("records"), body.get("source"), body.get("match")
    errors = envelope_errors(records, source, match)
    if errors:
        return Response({"run": None, "errors": errors}, status=400)
    with acting_as(name=f"integration:{integration.name}"):
        result = import_batch(
            integration.organisation,
            kind,
            records,
            source=source or integration.source,
            match=match,
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


@extend_schema(
    operation_id="ingest_webhook",
    auth=[],
    parameters=[
        OpenApiParameter(
            "X-Followthrough-Timestamp",
            str,
            OpenApiParameter.HEADER,
            required=True,
            description="Unix seconds when sent; older than 5 minutes is refused.",
        ),
        OpenApiParameter(
            "X-Followthrough-Signature",
            str,
            OpenApiParameter.HEADER,
            required=True,
            description="'sha256=' + hex HMAC-SHA256 of '<timestamp>.<body>' "
            "with the integration's webhook secret.",
        ),
    ],
    request=inline_serializer(
        "WebhookEvent",
        {
            "id": serializers.CharField(max_length=200, help_text="Unique per event."),
            "type": serializers.ChoiceField(choices=list(EVENT_KINDS)),
            "data": serializers.DictField(help_text="One record, as in a batch."),
            "match": MATCH_FIELD,
        },
    ),
    responses={
        200: inline_serializer(
            "WebhookResult",
            {
                "run": serializers.IntegerField(),
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
            },
        ),
        400: ERRORS,
        401: REFUSED,
        404: OpenApiTypes.OBJECT,
        409: REFUSED,
    },
    description="A CRM change event, signed with the integration's secret. Unsigned, "
    "forged or stale requests get 401; an event id delivered before gets 409.",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([AddressRateThrottle])
def webhook(request, integration_id: int):
    """A CRM change event, signed with the integration's secret (HMAC-SHA256)."""
    integration = get_object_or_404(Integration, pk=integration_id, is_active=True)
    # The signature covers the exact bytes sent, so the body is read raw, never re-encoded.
    body = request.body
    problem = signature_problem(
        integration,
        request.headers.get("X-Followthrough-Timestamp", ""),
        request.headers.get("X-Followthrough-Signature", ""),
        body,
    )
    if problem:
        return Response({"error": problem}, status=401)
    try:
        event = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return Response({"error": "the body is not JSON"}, status=400)
    if not isinstance(event, dict):
        return Response({"error": "the body must be a JSON object"}, status=400)
    event_id, kind = event.get("id"), EVENT_KINDS.get(event.get("type"))
    if not isinstance(event_id, str) or not event_id or len(event_id) > 200:
        return Response({"errors": [{"field": "id", "error": "an event id is required"}]}, 400)
    if kind is None:
        known = ", ".join(EVENT_KINDS)
        return Response({"errors": [{"field": "type", "error": f"one of {known}"}]}, 400)
    errors = envelope_errors([event.get("data")], None, event.get("match"))
    if errors:
        return Response({"errors": errors}, status=400)
    # The delivery is recorded in the same transaction as the data it brings: if the import
    # fails or the process dies half-way, neither is kept and the sender's retry is accepted.
    # A concurrent duplicate waits on the unique index until this one ends, then is refused.
    with transaction.atomic(), acting_as(name=f"integration:{integration.name}"):
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    integration=integration, event_id=event_id
                )
        except IntegrityError:
            return Response({"error": "this event was delivered already (replay)"}, status=409)
        result = import_batch(
            integration.organisation,
            kind,
            [event.get("data")],
            source=integration.source,
            match=event.get("match"),
            label="webhook-" + UNSAFE_IN_LABEL.sub("_", event_id[:40]),
        )
        if not result.ok:
            # A rejected event may be fixed and sent again with the same id; its run and
            # rejected rows are kept.
            delivery.delete()
            return Response({"errors": result.errors}, status=400)
        delivery.run = result.run
        delivery.save(update_fields=["run"])
    return Response(
        {"run": result.run.pk, "created": result.run.created, "updated": result.run.updated}
    )
