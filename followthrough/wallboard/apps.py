from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WallboardConfig(AppConfig):
    name = "followthrough.wallboard"
    verbose_name = _("Wallboard")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.wallboard.models import WallboardLink

        # The token is the link's secret: never copied into the audit history.
        register(WallboardLink, exclude=("token",))
