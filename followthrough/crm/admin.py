"""Credit rules in the admin site: an organisation's admin sets the split of shared deals."""

from __future__ import annotations

from django.contrib import admin

from followthrough.crm.credit import resolve_shares
from followthrough.crm.models import CreditRule
from followthrough.people.admin import OrgScopedAdmin, admin_org_id


@admin.register(CreditRule)
class CreditRuleAdmin(OrgScopedAdmin):
    list_display = ("team", "co_owner_percent", "organisation")
    fields = ("organisation", "team", "co_owner_percent")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        org_id = admin_org_id(request)
        if org_id not in (None, -1):
            initial.setdefault("organisation", org_id)
        return initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A rule re-splits the deals it governs, past ones included (docs/metrics.md).
        resolve_shares(obj.organisation_id)

    def delete_model(self, request, obj):
        org_id = obj.organisation_id
        super().delete_model(request, obj)
        resolve_shares(org_id)
