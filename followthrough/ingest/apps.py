from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "followthrough.ingest"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.ingest.models import Integration

        # Who created or revoked an API token; the token and secret are never copied.
        register(
            Integration, exclude=("token_hash", "webhook_secret", "created_at", "last_used_at")
        )
