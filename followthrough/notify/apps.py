from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "followthrough.notify"
    verbose_name = _("Digests and reminders")

    def ready(self) -> None:
        from followthrough.notify import registrations  # noqa: F401  (audit)
