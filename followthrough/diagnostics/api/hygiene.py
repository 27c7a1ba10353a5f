"""API: hygiene (see diagnostics/api_urls.py)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

urlpatterns: list = []


def register(router: BaseRouter) -> None:
    pass
