"""What the plan and review endpoints share: a rep's records, filtered and found by id."""

from __future__ import annotations

from django.http import Http404
from rest_framework import serializers

from followthrough.api.filters import date_range
from followthrough.lib.ids import parse_id


class RepRecordsMixin:
    """List filters `person`, `status`, `from` and `until`, and a detail by id, over `scope()`.

    Subclasses give `scope()` (the records the caller may see), `status_values`,
    `status_error` and `date_field` (the day `from` and `until` compare with).
    """

    status_values: tuple[str, ...] = ()
    status_error = "Choose a status."
    date_field = ""

    def scope(self):
        raise NotImplementedError

    def get_queryset(self):
        rows = self.scope()
        params = self.request.query_params
        if params.get("person") is not None:
            rows = rows.filter(rep_id=parse_id(params.get("person")) or 0)
        if params.get("status"):
            if params["status"] not in self.status_values:
                raise serializers.ValidationError({"status": [self.status_error]})
            rows = rows.filter(status=params["status"])
        start, until = date_range(params)
        if start:
            rows = rows.filter(**{f"{self.date_field}__gte": start})
        if until:
            rows = rows.filter(**{f"{self.date_field}__lte": until})
        return rows

    def get_object(self):
        pk = parse_id(str(self.kwargs.get("pk", ""))) or 0
        found = self.scope().filter(pk=pk).first()
        if found is None:
            raise Http404
        return found
