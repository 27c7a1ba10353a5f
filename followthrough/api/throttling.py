"""The API's rate limits, counted in the database so every process shares one count.

Django REST framework's own throttles keep their history in the cache, which is
each process's own memory unless Redis is configured: with four web processes a
caller had four times the allowance. The login limit's token buckets are shared
through the database already; the API uses them too (one locked row per caller).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from followthrough.web.auth import client_address
from followthrough.web.models import TokenBucket

SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'6000/hour' -> (6000 requests, 3600 seconds)."""
    count, _, unit = rate.partition("/")
    return int(count), SECONDS[unit]


def api_rate() -> tuple[int, int]:
    """API_RATE as (requests, seconds)."""
    return parse_rate(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"])


class SharedRateThrottle(BaseThrottle):
    """API_RATE requests per caller: a person, or an address when not logged in."""

    def __init__(self) -> None:
        self.wait_seconds: float | None = None

    def key(self, request) -> str | None:
        """What the requests are counted against; None: not counted here."""
        user = request.user
        if user is not None and getattr(user, "is_authenticated", False):
            # By kind and id: a person's login and an integration never share a count.
            return f"api-{user._meta.label_lower}:{user.pk}"
        return f"api-ip:{client_address(request._request)}"

    def allow_request(self, request, view) -> bool:
        key = self.key(request)
        if key is None:
            return True
        capacity, per_seconds = api_rate()
        self.wait_seconds = TokenBucket.take_if_any(key, capacity, per_seconds)
        return self.wait_seconds == 0.0

    def wait(self) -> float | None:
        return self.wait_seconds


class IntegrationRateThrottle(SharedRateThrottle):
    """The API rate, counted per integration (apart from people's own user ids)."""

    def key(self, request) -> str | None:
        meta = getattr(request.auth, "_meta", None)
        if meta is None or meta.model_name != "integration":
            return None
        return f"api-integration:{request.auth.pk}"


class AddressRateThrottle(SharedRateThrottle):
    """Callers who do not log in (webhook senders): counted per address, at the API rate."""

    def key(self, request) -> str | None:
        return f"api-ip:{client_address(request._request)}"
