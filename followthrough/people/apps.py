from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Secrets and bookkeeping: never copied into the history.
LOGIN_NOT_AUDITED = ("password", "last_login", "date_joined", "first_name", "last_name")


class PeopleConfig(AppConfig):
    name = "followthrough.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from followthrough.audit.registry import register
        from followthrough.people.models import Organisation, Person, ReportingLine, Team

        register(Organisation, exclude=("created_at",))
        register(Team)
        register(Person, exclude=("created_at",))
        register(ReportingLine)
        # A login given, revoked or made staff is a change of who may see what.
        register(
            get_user_model(),
            exclude=LOGIN_NOT_AUDITED,
            organisation=lambda user: (
                Person.objects.filter(user=user).values_list("organisation_id", flat=True).first()
            ),
        )
