from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "followthrough.crm"
    verbose_name = _("CRM facts")

    def ready(self) -> None:
        from followthrough.audit.registry import register
        from followthrough.crm.models import CreditRule

        # A credit rule moves credit between people: who changed it, and when, is kept.
        register(CreditRule)
