from django.urls import path

from followthrough.recognition import views

urlpatterns = [
    path("recognition/", views.recognition, name="recognition"),
    path("recognition/settings/", views.recognition_settings, name="recognition_settings"),
    path("recognition/kudos/", views.kudos_give, name="recognition_kudos"),
    path("recognition/people/<int:pk>/", views.person_badges, name="recognition_person"),
    path("recognition/people/<int:pk>/grant/", views.badge_grant, name="recognition_grant"),
    path("recognition/stories/", views.stories, name="recognition_stories"),
    path("recognition/stories/deal/<int:deal_id>/", views.story_write, name="recognition_story"),
]
