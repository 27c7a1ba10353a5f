"""What the plan and review endpoints share: a rep's records, filtered and found by id."""

from __future__ import annotations

from rest_framework import serializers

from followthrough.api.filters import one_or_404, within_dates
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
        return within_dates(rows, self.date_field, params)

    def get_object(self):
        return one_or_404(self.scope(), self.kwargs.get("pk"))
