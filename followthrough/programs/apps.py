from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "followthrough.programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from followthrough.programs import registrations  # noqa: F401  (audit and owners)
