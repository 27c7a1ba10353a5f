from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "followthrough.goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.goals.models import Goal, GoalSettings
        from followthrough.people.access import register_owner

        register(Goal, exclude=("created_at", "updated_at"))
        register(GoalSettings)
        register_owner(Goal, lambda goal: goal.person)
