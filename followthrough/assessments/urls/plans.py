"""Pages: coaching plans."""

from django.urls import path  # noqa: F401

from followthrough.assessments.views import plans as views  # noqa: F401

urlpatterns: list = []
