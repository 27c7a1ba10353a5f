"""Pages: calibration across managers."""

from django.urls import path  # noqa: F401

from followthrough.assessments.views import calibration as views  # noqa: F401

urlpatterns: list = []
