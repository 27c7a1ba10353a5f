from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from followthrough.api import ingest, views

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("teams", views.TeamViewSet, basename="team")

urlpatterns = [
    path("v1/me/", views.me, name="api-me"),
    path("v1/ingest/<str:kind>/", ingest.push_batch, name="api-ingest"),
    path("v1/webhooks/<int:integration_id>/", ingest.webhook, name="api-webhook"),
    path("v1/", include(router.urls)),
    path("metrics/", include("followthrough.metrics.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
