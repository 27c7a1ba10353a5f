from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.goals import api, views

router = DefaultRouter()
router.register("goals/import", api.GoalImportViewSet, basename="goal-import")
router.register("goals", api.GoalViewSet, basename="goal")

urlpatterns = [
    path("goals/", views.goal_list, name="goals"),
    path("goals/new/", views.goal_edit, name="goal_new"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", views.goal_delete, name="goal_delete"),
    path("goals/import/", views.goal_import, name="goal_import"),
    path("settings/goals/", views.goal_settings, name="goal_settings"),
    path("api/v1/", include(router.urls)),
]
