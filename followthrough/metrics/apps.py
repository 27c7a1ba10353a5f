from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "followthrough.metrics"
    verbose_name = _("Metrics")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.metrics import signals
        from followthrough.metrics.models import Metric

        register(Metric)
        signals.connect()
