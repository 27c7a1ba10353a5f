"""Rate-limit buckets shared by every web process through the database."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

# Rounding slack when comparing fractions of a token.
EPSILON = 1e-9


class TokenBucket(models.Model):
    """Attempts left for one key (a login name or a client address)."""

    key = models.CharField(max_length=80, unique=True)
    tokens = models.FloatField(default=1.0)
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def digest(key: str) -> str:
        # Hashed so that login names and addresses are not stored.
        return hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:64]

    def refilled(self, now, per_seconds: int) -> float:
        """The bucket's level now: it refills completely in `per_seconds`."""
        elapsed = (now - self.updated).total_seconds()
        return min(1.0, self.tokens + elapsed / per_seconds)

    @staticmethod
    def has_attempt(key: str, capacity: int, per_seconds: int) -> bool:
        """`key` may still try: its bucket holds a whole attempt (1/capacity). Takes nothing."""
        bucket = TokenBucket.objects.filter(key=TokenBucket.digest(key)).first()
        if bucket is None:
            return True
        return bucket.refilled(timezone.now(), per_seconds) >= 1.0 / capacity - EPSILON

    @staticmethod
    @transaction.atomic
    def take(key: str, capacity: int, per_seconds: int) -> None:
        """Take one attempt from `key`'s bucket; it never goes below empty."""
        now = timezone.now()
        bucket, _ = TokenBucket.objects.select_for_update().get_or_create(
            key=TokenBucket.digest(key), defaults={"tokens": 1.0, "updated": now}
        )
        bucket.tokens = max(0.0, bucket.refilled(now, per_seconds) - 1.0 / capacity)
        bucket.updated = now
        bucket.save(update_fields=["tokens", "updated"])

    @staticmethod
    @transaction.atomic
    def take_if_any(key: str, capacity: int, per_seconds: int) -> float:
        """Take one attempt when the bucket holds one: 0.0; else the seconds until it will.

        Under a row lock, so processes sharing the database share the count.
        """
        now = timezone.now()
        digest = TokenBucket.digest(key)
        # Insert-or-nothing, then lock: the same three queries for a new caller as for
        # one seen before (get_or_create adds a savepoint and an insert the first time).
        TokenBucket.objects.bulk_create(
            [TokenBucket(key=digest, tokens=1.0, updated=now)], ignore_conflicts=True
        )
        bucket = TokenBucket.objects.select_for_update().get(key=digest)
        level = bucket.refilled(now, per_seconds)
        if level < 1.0 / capacity - EPSILON:
            return (1.0 / capacity - level) * per_seconds
        bucket.tokens = level - 1.0 / capacity
        bucket.updated = now
        bucket.save(update_fields=["tokens", "updated"])
        return 0.0


def _buckets(username: str, address: str) -> list[tuple[str, int]]:
    """The keys an attempt counts against, with their capacities."""
    limit = settings.LOGIN_ATTEMPTS
    return [
        (f"login-name:{username.strip().lower()}", limit),
        # One address may try several accounts (an office behind one proxy).
        (f"login-ip:{address}", limit * 4),
    ]


def login_allowed(username: str, address: str) -> bool:
    """Both the account and the client address still have attempts left."""
    window = settings.LOGIN_WINDOW
    return all(
        TokenBucket.has_attempt(key, capacity, window)
        for key, capacity in _buckets(username, address)
    )


def login_failed(username: str, address: str) -> None:
    """Count a failed attempt against the account and the client address."""
    for key, capacity in _buckets(username, address):
        TokenBucket.take(key, capacity, settings.LOGIN_WINDOW)
