"""Pages: assessments, ratings and focus areas."""

from django.urls import path  # noqa: F401

from followthrough.assessments.views import assessments as views  # noqa: F401

urlpatterns: list = []
