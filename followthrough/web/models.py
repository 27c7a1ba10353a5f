"""Rate-limit buckets shared by every web process through the database."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class TokenBucket(models.Model):
    """Attempts left for one key (a login name or a client address)."""

    key = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField(default=1.0)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key

    @staticmethod
    @transaction.atomic
    def authorize(key: str, capacity: int, per_seconds: int) -> bool:
        """Take one attempt from `key`'s bucket; False when it is empty.

        The bucket refills at `capacity` attempts per `per_seconds`.
        Keys are hashed so login names and addresses are not stored.
        """
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:64]
        now = timezone.now()
        bucket, _ = TokenBucket.objects.select_for_update().get_or_create(
            key=digest, defaults={"tokens": 1.0, "updated": now}
        )
        elapsed = (now - bucket.updated).total_seconds()
        bucket.tokens = min(1.0, bucket.tokens + elapsed / per_seconds)
        bucket.updated = now
        allowed = bucket.tokens >= 1.0 / capacity - 1e-9
        if allowed:
            bucket.tokens -= 1.0 / capacity
        bucket.save(update_fields=["tokens", "updated"])
        return allowed


def login_allowed(username: str, address: str) -> bool:
    """Both the account and the client address still have attempts left."""
    limit, window = settings.LOGIN_ATTEMPTS, settings.LOGIN_WINDOW
    by_name = TokenBucket.authorize(f"login-name:{username.strip().lower()}", limit, window)
    by_address = TokenBucket.authorize(f"login-ip:{address}", limit * 4, window)
    return by_name and by_address
