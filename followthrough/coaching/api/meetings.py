"""The follow-through's API: meetings (see coaching/api_urls.py)."""

from __future__ import annotations

from django.urls import path  # noqa: F401
from rest_framework.routers import BaseRouter

# Extra paths that are not viewsets, under /api/v1/.
urlpatterns: list = []


def register(router: BaseRouter) -> None:
    """Add this part's viewsets to the coaching router."""
