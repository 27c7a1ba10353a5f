"""API endpoints under /api/v1/: scorecards."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.scorecards import api

router = DefaultRouter()
api.register(router)

urlpatterns = [path("", include(router.urls))]
