"""The follow-through's pages; each part keeps its own list."""

from followthrough.coaching.urls import agreements, commitments, managers, meetings

urlpatterns = [
    *meetings.urlpatterns,
    *commitments.urlpatterns,
    *agreements.urlpatterns,
    *managers.urlpatterns,
]
