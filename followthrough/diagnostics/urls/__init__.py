"""Pages; each part keeps its own list."""

from followthrough.diagnostics.urls import hiring, hygiene, projection, rights, runs

urlpatterns = [
    *rights.urlpatterns,
    *projection.urlpatterns,
    *hygiene.urlpatterns,
    *hiring.urlpatterns,
    *runs.urlpatterns,
]
