"""Pages of the follow-through: accountability agreements and the escalation ladder."""

from django.urls import path

from followthrough.coaching.views import agreements as views

urlpatterns = [
    path("agreement/", views.agreement, name="agreement"),
    path("agreement/new/", views.agreement_edit, name="agreement_edit"),
    path("teams/<int:pk>/agreement/", views.team_agreement, name="team_agreement"),
    path("ladder/", views.ladder_page, name="ladder"),
    path("ladder/open/", views.ladder_open, name="ladder_open"),
    path("ladder/usage/", views.ladder_usage, name="ladder_usage"),
    path("ladder/<int:pk>/", views.ladder_step, name="ladder_step"),
    path("ladder/<int:pk>/review/", views.ladder_review, name="ladder_review"),
]
