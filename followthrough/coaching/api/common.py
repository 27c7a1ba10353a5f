"""What the follow-through's API endpoints share: list filters and refusals as field errors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followthrough.lib.ids import parse_id
from followthrough.people.models import Person

LIST_FILTERS = [
    OpenApiParameter("person", int, description="A person's id: only what concerns them."),
    OpenApiParameter("from", dt.date, description="On or after this day (YYYY-MM-DD)."),
    OpenApiParameter("until", dt.date, description="On or before this day (YYYY-MM-DD)."),
]


def field_errors(error: ValidationError) -> serializers.ValidationError:
    """A rule's refusal (Django's ValidationError) as the API's 400, field by field."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(
            {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in error.error_dict.items()
            }
        )
    return serializers.ValidationError({"non_field_errors": [str(m) for m in error.messages]})


def run_action(view, request, obj, *, allowed: bool, refusal: str, inputs, act) -> Response:
    """An action on one row: refused unless allowed, its input checked, the rule's refusals as 400s."""
    if not allowed:
        raise PermissionDenied(refusal)
    incoming = inputs(data=request.data)
    incoming.is_valid(raise_exception=True)
    try:
        act(incoming.validated_data)
    except ValidationError as error:
        raise field_errors(error) from None
    return Response(view.get_serializer(obj).data)


def org_person(viewer: Person, pk, field: str) -> Person:
    """The person of the caller's organisation with this id; else a field-level 400."""
    person = Person.objects.filter(
        organisation_id=viewer.organisation_id, pk=parse_id(str(pk)) or 0
    ).first()
    if person is None:
        raise serializers.ValidationError({field: ["No such person."]})
    return person


def org_row(model, viewer: Person, pk, field: str):
    """The caller's organisation's `model` row with this id, None when none is given; else a 400."""
    if pk in (None, ""):
        return None
    row = model.objects.filter(
        organisation_id=viewer.organisation_id, pk=parse_id(str(pk)) or 0
    ).first()
    if row is None:
        raise serializers.ValidationError({field: ["No such record."]})
    return row
