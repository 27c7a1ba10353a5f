"""The API's root: the schema, its interactive docs, and each app's endpoints under /api/v1/."""

from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class _PermanentRedirect(HttpResponsePermanentRedirect):
    # 308, not 301: clients repeat a POST, PATCH or DELETE with its body at the new address.
    status_code = 308


def moved_to_v1(request, rest: str):
    """/api/metrics/... moved to /api/v1/metrics/... (CHANGELOG 2026-12-07)."""
    target = f"/api/v1/metrics/{rest}"
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return _PermanentRedirect(target)


urlpatterns = [
    path("v1/", include("followthrough.people.api_urls")),
    path("v1/", include("followthrough.crm.api_urls")),
    path("v1/", include("followthrough.ingest.api_urls")),
    path("v1/", include("followthrough.scorecards.api_urls")),
    path("v1/", include("followthrough.coaching.api_urls")),
    path("v1/", include("followthrough.assessments.api_urls")),
    path("v1/", include("followthrough.programs.api_urls")),
    path("v1/", include("followthrough.diagnostics.api_urls")),
    path("v1/", include("followthrough.motivation.api_urls")),
    path("v1/", include("followthrough.recognition.api_urls")),
    path("v1/", include("followthrough.wallboard.api_urls")),
    path("v1/", include("followthrough.notify.api_urls")),
    path("v1/metrics/", include("followthrough.metrics.api_urls")),
    re_path(r"^metrics/(?P<rest>.*)$", moved_to_v1),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
