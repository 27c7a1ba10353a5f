"""Pages: onboarding and certification programs and enrolments."""

from django.urls import path

from followthrough.programs.views import programs as views

urlpatterns: list = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/new/", views.program_new, name="program_new"),
    path("programs/new/starter/", views.program_from_starter, name="program_from_starter"),
    path("programs/cohort/", views.cohort, name="program_cohort"),
    path("programs/ramp/", views.ramp, name="program_ramp"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("programs/<int:pk>/milestones/new/", views.milestone_edit, name="milestone_new"),
    path(
        "programs/<int:pk>/milestones/<int:milestone>/edit/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path("programs/<int:pk>/enrol/", views.enrol, name="program_enrol"),
    path("onboarding/", views.my_onboarding, name="my_onboarding"),
    path("onboarding/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path(
        "onboarding/<int:pk>/training/<int:milestone>/",
        views.training_done,
        name="enrolment_training",
    ),
    path("onboarding/<int:pk>/certify/<int:milestone>/", views.certify, name="enrolment_certify"),
    path("onboarding/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
]
