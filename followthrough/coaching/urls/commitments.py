"""Pages of the follow-through: commitments, self-reports, "I'm stuck" and notifications."""

from django.urls import path

from followthrough.coaching.views import commitments as views

urlpatterns: list = [
    path("commitments/", views.commitment_list, name="commitments"),
    path("commitments/new/", views.commitment_new, name="commitment_new"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/close/", views.commitment_close, name="commitment_close"),
    path("self-reports/", views.self_report_list, name="self_reports"),
    path("self-reports/mine/", views.my_self_report, name="my_self_report"),
    path("self-reports/<int:pk>/<str:start>/", views.self_report, name="self_report"),
    path("stuck/", views.problem_new, name="problem_new"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/<int:pk>/resolve/", views.problem_resolve, name="problem_resolve"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
