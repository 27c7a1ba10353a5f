"""Pages of the follow-through: agreements."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
