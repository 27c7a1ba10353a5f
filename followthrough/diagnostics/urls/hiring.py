"""Pages: hiring (see diagnostics/urls/__init__.py)."""

from django.urls import path

from followthrough.diagnostics.views import hiring as views

urlpatterns = [
    path("early-warnings/hiring/", views.hiring_page, name="diagnostics_hiring"),
]
