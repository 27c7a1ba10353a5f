"""API endpoints under /api/v1/: notification settings and deliveries."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.notify import api

router = DefaultRouter()
api.register(router)

urlpatterns = [
    path("notifications/settings/", api.OwnSettings.as_view(), name="notification-settings"),
    path("", include(router.urls)),
]
