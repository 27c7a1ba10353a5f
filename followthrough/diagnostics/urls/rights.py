"""Pages: rights (see diagnostics/urls/__init__.py)."""

from django.urls import path

from followthrough.diagnostics.views import rights as views

urlpatterns = [
    path("early-warnings/", views.team_view, name="diagnostics_team"),
    path("early-warnings/<int:person_id>/", views.rep_page, name="diagnostics_rep"),
    path("early-warnings/thresholds/", views.settings_page, name="diagnostics_settings"),
]
