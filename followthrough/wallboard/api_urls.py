"""API endpoints under /api/v1/: wallboard links."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.wallboard import api

router = DefaultRouter()
api.register(router)

urlpatterns = [path("", include(router.urls))]
