"""Pages: projection (see diagnostics/urls/__init__.py)."""

from django.urls import path

from followthrough.diagnostics.views import projection as views

urlpatterns = [
    path("early-warnings/projection/", views.projection_page, name="diagnostics_projection"),
]
