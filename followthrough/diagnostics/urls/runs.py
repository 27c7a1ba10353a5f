"""Pages: runs (see diagnostics/urls/__init__.py)."""

from django.urls import path

from followthrough.diagnostics.views import runs as views

urlpatterns = [
    path("early-warnings/runs/", views.runs_page, name="diagnostics_runs"),
    path("early-warnings/runs/<int:pk>/status/", views.run_status, name="diagnostics_run_status"),
]
