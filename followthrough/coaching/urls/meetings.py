"""Pages of the follow-through: meetings."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
