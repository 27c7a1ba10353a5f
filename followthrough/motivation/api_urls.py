"""The motivation API under /api/v1/: contests with their standings, and quests."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.motivation import api

router = DefaultRouter()
router.register("contests", api.ContestViewSet, basename="contest")
router.register("quests", api.QuestViewSet, basename="quest")

urlpatterns = [path("", include(router.urls))]
