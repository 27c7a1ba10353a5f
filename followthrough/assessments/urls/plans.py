"""Pages: coaching plans."""

from django.urls import path

from followthrough.assessments.views import plans as views

urlpatterns: list = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/reevaluate/", views.plan_reevaluate, name="plan_reevaluate"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/commitments/", views.plan_commitment, name="plan_commitment"),
]
