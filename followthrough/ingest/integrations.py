"""Integrations: API tokens and webhook secrets, and checking what callers present."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.utils import timezone

from followthrough.ingest.models import Integration
from followthrough.people.models import Organisation

TOKEN_PREFIX = "ft_"
# Webhook timestamps older (or newer) than this are refused as possible replays.
WEBHOOK_TOLERANCE_SECONDS = 300


@dataclass(frozen=True)
class NewIntegration:
    integration: Integration
    token: str  # shown once; only its hash is stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_integration(org: Organisation, name: str, source: str) -> NewIntegration:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    integration = Integration.objects.create(
        organisation=org,
        name=name,
        source=source,
        token_hash=_hash(token),
        token_prefix=token[:10],
        webhook_secret=secrets.token_hex(32),
    )
    return NewIntegration(integration, token)


def revoke_integration(integration: Integration) -> None:
    """Refuse the integration's token and webhooks from now on (saved, so it is audited)."""
    if integration.is_active:
        integration.is_active = False
        integration.save(update_fields=["is_active"])


def integration_for_token(token: str) -> Integration | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    integration = (
        Integration.objects.filter(token_hash=_hash(token), is_active=True)
        .select_related("organisation")
        .first()
    )
    if integration is not None:
        Integration.objects.filter(pk=integration.pk).update(last_used_at=timezone.now())
    return integration


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in X-Followthrough-Signature."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signature_problem(integration: Integration, timestamp: str, signature: str, body: bytes) -> str:
    """Why a webhook request must be refused, or '' when it is authentic and fresh."""
    if not timestamp or not signature:
        return "missing X-Followthrough-Timestamp or X-Followthrough-Signature header"
    # isdigit() alone admits digits such as "²" that int() refuses; 12 digits reach year 33658.
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return "the timestamp must be Unix seconds"
    age = abs(timezone.now().timestamp() - int(timestamp))
    if age > WEBHOOK_TOLERANCE_SECONDS:
        return "the timestamp is too old or too far in the future (replay?)"
    expected = sign(integration.webhook_secret, timestamp, body)
    # Bytes, because compare_digest refuses str with non-ASCII characters.
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return "the signature does not match"
    return ""
