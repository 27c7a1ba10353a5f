"""Pages of the follow-through: managers."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
