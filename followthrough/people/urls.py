from django.urls import path

from followthrough.people import views, views_tokens

urlpatterns = [
    path("team/", views.my_team, name="my_team"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/people/", views.people_list, name="people"),
    path("settings/people/new/", views.person_edit, name="person_new"),
    path("settings/people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("settings/people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        views.InvitationView.as_view(),
        name="invitation",
    ),
    path("accounts/tokens/", views_tokens.access_tokens, name="access_tokens"),
    path(
        "accounts/tokens/<int:pk>/revoke/",
        views_tokens.access_token_revoke,
        name="access_token_revoke",
    ),
    path("settings/teams/new/", views.team_edit, name="team_new"),
    path("settings/teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
]
