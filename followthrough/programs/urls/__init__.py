"""Pages; each part keeps its own list."""

from followthrough.programs.urls import programs

urlpatterns = [*programs.urlpatterns]
