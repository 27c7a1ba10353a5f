from django.urls import path

from followthrough.scorecards import views

urlpatterns = [
    path("me/", views.my_scorecard, name="me"),
    path("people/<int:pk>/scorecard/", views.person_scorecard, name="person_scorecard"),
    path(
        "people/<int:pk>/scorecard/<slug:key>/",
        views.person_records,
        name="person_records",
    ),
    path("dashboard/", views.dashboard_home, name="dashboard"),
    path(
        "dashboard/organisation/<slug:key>/",
        views.organisation_records,
        name="organisation_records",
    ),
    path("teams/<int:pk>/dashboard/", views.team_dashboard, name="team_dashboard"),
    path(
        "teams/<int:pk>/dashboard/export.<str:fmt>",
        views.team_export,
        name="team_export",
    ),
    path("teams/<int:pk>/dashboard/<slug:key>/", views.team_records, name="team_records"),
]
