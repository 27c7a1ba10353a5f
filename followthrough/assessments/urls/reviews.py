"""Pages: periodic reviews."""

from django.urls import path

from followthrough.assessments.views import reviews as views

urlpatterns: list = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/print/", views.review_print, name="review_print"),
    path("reviews/<int:pk>/acknowledge/", views.review_acknowledge, name="review_acknowledge"),
    path("reviews/<int:pk>/commitments/", views.review_commitment, name="review_commitment"),
]
