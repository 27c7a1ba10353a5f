"""The ingest app's API endpoints, under /api/v1/."""

from django.urls import path

from followthrough.ingest import api

urlpatterns = [
    path("ingest/<str:kind>/", api.push_batch, name="api-ingest"),
    path("webhooks/<int:integration_id>/", api.webhook, name="api-webhook"),
]
