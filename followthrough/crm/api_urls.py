"""API endpoints under /api/v1/: deals and activities (read-only)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.crm import api

router = DefaultRouter()
api.register(router)

urlpatterns = [path("", include(router.urls))]
