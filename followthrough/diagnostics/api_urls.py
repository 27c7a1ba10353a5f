"""API endpoints under /api/v1/diagnostics/; each part registers its own."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from followthrough.diagnostics.api import hiring, hygiene, projection, rights

PARTS = (rights, projection, hygiene, hiring)

router = DefaultRouter()
for part in PARTS:
    part.register(router)

urlpatterns = [route for part in PARTS for route in part.urlpatterns]
urlpatterns += [path("", include(router.urls))]
