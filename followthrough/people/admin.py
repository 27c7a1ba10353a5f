"""Django admin, scoped so an organisation's admin sees only their organisation."""

from __future__ import annotations

from django.contrib import admin

from followthrough.people.access import person_of
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team


def admin_org_id(request) -> int | None:
    """The organisation an admin-site user may touch; None for installation superusers."""
    if request.user.is_superuser:
        return None
    person = person_of(request.user)
    if person is None or person.role != Role.ADMIN:
        return -1  # no person or not an admin: matches nothing
    return person.organisation_id


class OrgScopedAdmin(admin.ModelAdmin):
    org_field = "organisation_id"

    def has_module_permission(self, request):
        return request.user.is_superuser or admin_org_id(request) not in (None, -1)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def _owns(self, request, obj) -> bool:
        org_id = admin_org_id(request)
        return obj is None or org_id is None or getattr(obj, self.org_field) == org_id

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        org_id = admin_org_id(request)
        return queryset if org_id is None else queryset.filter(**{self.org_field: org_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        org_id = admin_org_id(request)
        related = db_field.related_model
        if org_id is not None:
            if related is Organisation:
                kwargs["queryset"] = Organisation.objects.filter(pk=org_id)
            elif hasattr(related, "organisation"):
                kwargs["queryset"] = related._default_manager.filter(organisation_id=org_id)
            elif db_field.name == "user":
                from django.contrib.auth import get_user_model

                kwargs["queryset"] = get_user_model().objects.filter(person__organisation_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(OrgScopedAdmin):
    list_display = ("name", "slug", "timezone", "fiscal_year_start_month", "currency")
    org_field = "pk"

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Team)
class TeamAdmin(OrgScopedAdmin):
    list_display = ("name", "kind", "parent", "organisation")
    list_filter = ("kind",)
    search_fields = ("name",)


class ReportingLineInline(admin.TabularInline):
    model = ReportingLine
    fk_name = "person"
    extra = 0
    fields = ("manager", "team", "valid_from", "valid_to")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        org_id = admin_org_id(request)
        if org_id is not None and db_field.name in ("manager", "team"):
            kwargs["queryset"] = db_field.related_model.objects.filter(organisation_id=org_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(OrgScopedAdmin):
    list_display = ("name", "email", "title", "role", "role_since", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("name", "email", "external_id")
    inlines = [ReportingLineInline]

    def save_formset(self, request, form, formset, change):
        for line in formset.save(commit=False):
            line.organisation_id = form.instance.organisation_id
            line.save()
        for line in formset.deleted_objects:
            line.delete()
