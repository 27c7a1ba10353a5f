"""Pages of the follow-through: meetings."""

from django.urls import path

from followthrough.coaching.views import meetings as views

urlpatterns: list = [
    path("one-on-ones/", views.one_on_ones, name="one_on_ones"),
    path("one-on-ones/<int:pk>/", views.meeting, name="meeting"),
    path("one-on-ones/<int:pk>/reflection/", views.meeting_reflect, name="meeting_reflect"),
    path("one-on-ones/<int:pk>/notes/", views.meeting_note, name="meeting_note"),
    path("one-on-ones/<int:pk>/items/", views.meeting_item, name="meeting_item"),
    path("one-on-ones/<int:pk>/move/", views.meeting_move, name="meeting_move"),
    path("one-on-ones/<int:pk>/end/", views.meeting_end, name="meeting_end"),
    path("one-on-ones/<int:pk>/stepped-in/", views.meeting_stepped_in, name="meeting_stepped_in"),
    path("one-on-ones/notes/<int:pk>/edit/", views.meeting_note_edit, name="meeting_note_edit"),
    path(
        "one-on-ones/items/<int:pk>/delete/", views.meeting_item_delete, name="meeting_item_delete"
    ),
    path("people/<int:pk>/cadence/", views.cadence_edit, name="cadence_edit"),
    path("deal-reviews/new/", views.deal_review_new, name="deal_review_new"),
    path("teams/<int:pk>/deal-reviews/", views.deal_reviews_due, name="deal_reviews_due"),
    path("teams/<int:pk>/coaching/", views.coaching_settings, name="coaching_settings"),
    path("stepped-in/", views.stepped_in, name="stepped_in"),
]
