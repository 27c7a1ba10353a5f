"""Pages: assessments, ratings and focus areas."""

from django.urls import path

from followthrough.assessments.views import assessments as views
from followthrough.assessments.views import focus

urlpatterns: list = [
    path("assessments/", views.assessment_list, name="assessment_list"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/peers/", views.assessment_peers, name="assessment_peers"),
    path("assessments/self/", views.assessment_self, name="assessment_self"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/rate/", views.assessment_rate, name="assessment_rate"),
    path("assessments/<int:pk>/correct/", views.assessment_correct, name="assessment_correct"),
    path("assessments/<int:pk>/focus/", focus.focus_new, name="focus_new"),
    path("focus-areas/", focus.focus_list, name="focus_areas"),
    path("focus-areas/<int:pk>/close/", focus.focus_close, name="focus_close"),
    path(
        "teams/<int:pk>/assessment-settings/",
        focus.assessment_settings,
        name="assessment_settings",
    ),
]
