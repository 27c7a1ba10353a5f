from django.urls import path

from followthrough.motivation import views, views_leaderboard, views_quests

urlpatterns = [
    path("contests/", views.contest_list, name="contests"),
    path("contests/new/", views.contest_edit, name="contest_new"),
    path("contests/<int:pk>/", views.contest_detail, name="contest"),
    path("contests/<int:pk>/edit/", views.contest_edit, name="contest_edit"),
    path("contests/<int:pk>/open/", views.contest_status, {"action": "open"}, name="contest_open"),
    path(
        "contests/<int:pk>/close/", views.contest_status, {"action": "close"}, name="contest_close"
    ),
    path("quests/", views_quests.quest_list, name="quests"),
    path("quests/<int:pk>/decide/", views_quests.quest_decide, name="quest_decide"),
    path("leaderboard/", views_leaderboard.leaderboard_page, name="leaderboard"),
]
