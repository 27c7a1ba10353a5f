from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "followthrough.coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from followthrough.coaching import registrations  # noqa: F401  (audit and owners)
