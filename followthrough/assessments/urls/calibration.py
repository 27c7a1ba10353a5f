"""Pages: calibration across managers."""

from django.urls import path

from followthrough.assessments.views import calibration as views

urlpatterns = [
    path("calibration/", views.calibration_page, name="calibration"),
]
