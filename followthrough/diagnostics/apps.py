from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "followthrough.diagnostics"
    verbose_name = _("Diagnostics")

    def ready(self) -> None:
        from followthrough.diagnostics import (
            agenda,  # noqa: F401  (the 1:1 agenda's early warnings)
            registrations,  # noqa: F401  (audit)
        )
