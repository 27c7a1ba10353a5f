"""Pages: rubrics and role scorecard templates."""

from django.urls import path  # noqa: F401

from followthrough.assessments.views import rubrics as views  # noqa: F401

urlpatterns: list = []
