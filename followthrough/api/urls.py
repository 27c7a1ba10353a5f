"""The API's root: the schema, and each app's own endpoints under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("v1/", include("followthrough.people.api_urls")),
    path("v1/", include("followthrough.ingest.api_urls")),
    path("v1/", include("followthrough.coaching.api_urls")),
    path("v1/", include("followthrough.assessments.api_urls")),
    path("v1/", include("followthrough.programs.api_urls")),
    path("v1/", include("followthrough.diagnostics.api_urls")),
    path("v1/", include("followthrough.motivation.api_urls")),
    path("v1/", include("followthrough.recognition.api_urls")),
    path("v1/", include("followthrough.wallboard.api_urls")),
    path("metrics/", include("followthrough.metrics.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
