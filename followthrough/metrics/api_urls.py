from rest_framework.routers import SimpleRouter

from followthrough.metrics.api import MetricViewSet

router = SimpleRouter()
router.register("", MetricViewSet, basename="metric")
urlpatterns = router.urls
