"""Pages: rubrics and role scorecard templates."""

from django.urls import path

from followthrough.assessments.views import rubrics as views

urlpatterns = [
    path("rubrics/", views.rubric_list, name="rubric_list"),
    path("rubrics/new/", views.rubric_new, name="rubric_new"),
    path("rubrics/<int:pk>/", views.rubric, name="rubric"),
    path("rubrics/<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("rubrics/<int:pk>/levels/", views.rubric_levels, name="rubric_levels"),
    path("rubrics/<int:pk>/steps/new/", views.section_new, name="rubric_section_new"),
    path("rubrics/<int:pk>/competencies/new/", views.competency_new, name="rubric_competency_new"),
    path("rubrics/steps/<int:pk>/", views.section_edit, name="rubric_section_edit"),
    path("rubrics/steps/<int:pk>/move/", views.section_move, name="rubric_section_move"),
    path("rubrics/steps/<int:pk>/delete/", views.section_delete, name="rubric_section_delete"),
    path("competencies/<int:pk>/edit/", views.competency_edit, name="competency_edit"),
    path("competencies/<int:pk>/archive/", views.competency_archive, name="competency_archive"),
    path("competencies/<int:pk>/delete/", views.competency_delete, name="competency_delete"),
    path("scorecard-templates/", views.template_list, name="template_list"),
    path("scorecard-templates/new/", views.template_new, name="template_new"),
    path("scorecard-templates/<int:pk>/", views.template_detail, name="template"),
    path("scorecard-templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
]
