"""Pages: onboarding and certification programs and enrolments."""

from django.urls import path  # noqa: F401

from followthrough.programs.views import programs as views  # noqa: F401

urlpatterns: list = []
