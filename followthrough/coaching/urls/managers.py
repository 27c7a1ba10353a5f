"""Pages of the follow-through: managers (scorecard, comparison) and the calendar feed."""

from django.urls import path

from followthrough.coaching.views import managers as views

urlpatterns = [
    path("managers/", views.managers, name="managers"),
    path("managers/<int:pk>/scorecard/", views.manager_scorecard, name="manager_scorecard"),
    path(
        "managers/<int:pk>/scorecard/<slug:key>/",
        views.manager_records,
        name="manager_records",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
