from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Secrets and bookkeeping: never copied into the history.
LOGIN_NOT_AUDITED = ("password", "last_login", "date_joined", "first_name", "last_name")


class PeopleConfig(AppConfig):
    name = "followthrough.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from followthrough.audit.registry import register
        from followthrough.people import tokens
        from followthrough.people.models import (
            AccessToken,
            Organisation,
            Person,
            ReportingLine,
            Team,
        )

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
        # Who made or revoked a token; its hash never enters the history.
        register(AccessToken, exclude=("token_hash", "created_at", "last_used_at"))
        User = get_user_model()
        post_save.connect(tokens.revoke_on_password_change, sender=User, dispatch_uid="token-pw")
        post_save.connect(
            tokens.revoke_on_user_deactivation, sender=User, dispatch_uid="token-user-off"
        )
        post_save.connect(
            tokens.revoke_on_person_deactivation, sender=Person, dispatch_uid="token-person-off"
        )
