"""Pages of the follow-through: commitments."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
