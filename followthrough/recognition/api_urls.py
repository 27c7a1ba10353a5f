"""API endpoints under /api/v1/: badges, kudos, stories."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.recognition import api

router = DefaultRouter()
api.register(router)

urlpatterns = [path("", include(router.urls))]
