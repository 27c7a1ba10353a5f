"""API access: every request comes from an active person; objects are checked in access."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from followthrough.people.access import person_of
from followthrough.people.models import Role


class IsPerson(BasePermission):
    """Authenticated and linked to an active person; sets request.person."""

    def has_permission(self, request, view) -> bool:
        person = person_of(request.user)
        if person is None:
            return False
        request.person = person
        return True


class IsOrgAdmin(IsPerson):
    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.person.role == Role.ADMIN
