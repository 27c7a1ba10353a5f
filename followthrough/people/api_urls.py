"""The people app's API endpoints, under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.people import api

router = DefaultRouter()
router.register("people", api.PersonViewSet, basename="person")
router.register("teams", api.TeamViewSet, basename="team")

urlpatterns = [
    path("me/", api.me, name="api-me"),
    path("", include(router.urls)),
]
