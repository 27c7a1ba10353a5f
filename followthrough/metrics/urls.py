from django.urls import path

from followthrough.metrics import views

urlpatterns = [
    path("definitions/", views.definitions, name="metric_definitions"),
    path("definitions/new/", views.definition_edit, name="metric_new"),
    path("definitions/<slug:key>/edit/", views.definition_edit, name="metric_edit"),
]
