from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from followthrough.api import views

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("teams", views.TeamViewSet, basename="team")

urlpatterns = [
    path("v1/me/", views.me, name="api-me"),
    # Each app registers its own endpoints; ingest's are pushed batches and webhooks.
    path("v1/", include("followthrough.ingest.api_urls")),
    path("v1/", include(router.urls)),
    path("metrics/", include("followthrough.metrics.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
