from django.urls import path

from followthrough.wallboard import views

urlpatterns = [
    path("wallboards/", views.link_list, name="wallboard_links"),
    path("wallboards/<int:pk>/revoke/", views.link_revoke, name="wallboard_revoke"),
    path("wall/<str:token>/", views.wall, name="wall"),
    path("wall/<str:token>/live/", views.wall_live, name="wall_live"),
]
