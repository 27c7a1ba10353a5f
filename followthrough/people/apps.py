from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "followthrough.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.people.models import Organisation, Person, ReportingLine, Team

        register(Organisation, exclude=("created_at",))
        register(Team)
        register(Person, exclude=("created_at",))
        register(ReportingLine)
