from django.contrib import admin

from followthrough.audit.models import AuditEntry
from followthrough.people.admin import OrgScopedAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(OrgScopedAdmin):
    list_display = ("at", "actor_name", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_name")
    org_field = "organisation_id"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
