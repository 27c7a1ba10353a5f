from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "followthrough.goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.goals.display import audit_title, audit_value
        from followthrough.goals.models import Goal, GoalSettings
        from followthrough.people.access import register_owner

        register(Goal, display=audit_value, title=audit_title)
        register(GoalSettings, display=audit_value)
        register_owner(Goal, lambda goal: goal.person)
