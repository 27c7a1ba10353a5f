"""Pages; each part keeps its own list."""

from followthrough.assessments.urls import assessments, calibration, plans, reviews, rubrics

urlpatterns = [
    *rubrics.urlpatterns,
    *assessments.urlpatterns,
    *plans.urlpatterns,
    *reviews.urlpatterns,
    *calibration.urlpatterns,
]
