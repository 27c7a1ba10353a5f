"""The organisation's audit history, for admins."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import render

from followthrough.audit.display import describe
from followthrough.audit.models import AuditEntry
from followthrough.lib.ids import parse_id
from followthrough.people.models import Role
from followthrough.web.decorators import person_required


@person_required(roles=(Role.ADMIN,))
def audit_list(request):
    org = request.person.organisation
    entries = AuditEntry.objects.filter(organisation_id=org.pk).select_related("content_type")
    kinds = [
        (ct.pk, ct.model_class()._meta.verbose_name_plural)
        for ct in ContentType.objects.filter(
            pk__in=AuditEntry.objects.filter(organisation_id=org.pk).values("content_type")
        )
    ]
    kind = request.GET.get("kind", "")
    if kind:
        # An id no row can have (not a number, or past 64-bit integers) selects nothing.
        kind_id = parse_id(kind)
        entries = entries.filter(content_type_id=kind_id) if kind_id else entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = describe(page.object_list)
    return render(request, "audit/list.html", {"page": page, "kinds": kinds, "kind": kind})
