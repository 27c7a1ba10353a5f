from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo organisation, built through the same code users use (at the top of the flow)."""

    name = "followthrough.demo"
    verbose_name = _("Demo")
