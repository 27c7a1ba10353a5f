"""Pages: periodic reviews."""

from django.urls import path  # noqa: F401

from followthrough.assessments.views import reviews as views  # noqa: F401

urlpatterns: list = []
