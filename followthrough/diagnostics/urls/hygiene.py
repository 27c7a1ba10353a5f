"""Pages: hygiene (see diagnostics/urls/__init__.py)."""

from django.urls import path

from followthrough.diagnostics.views import hygiene as views

urlpatterns = [
    path("early-warnings/hygiene/", views.hygiene_page, name="diagnostics_hygiene"),
    path("early-warnings/integrity/", views.integrity_page, name="diagnostics_integrity"),
]
