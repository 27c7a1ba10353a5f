from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "followthrough.recognition"
    verbose_name = _("Recognition")

    def ready(self) -> None:
        from followthrough.recognition import registrations  # noqa: F401  (audit and owners)
