from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MotivationConfig(AppConfig):
    name = "followthrough.motivation"
    verbose_name = _("Motivation")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.motivation.display import audit_value
        from followthrough.motivation.models import Contest, Quest
        from followthrough.people.access import register_owner

        # Frozen results are long and written once by closing; the status change says it.
        register(Contest, exclude=("results",), display=audit_value)
        register(Quest, display=audit_value)
        register_owner(Quest, lambda quest: quest.person)
