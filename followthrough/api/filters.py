"""Query-string filters every API list shares: a date range, as field-level 400s when bad."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from followthrough.lib.periods import supported


def date_range(params) -> tuple[dt.date | None, dt.date | None]:
    """`from` and `until` of a list's query string; a bad date is a field-level 400."""
    found, errors = {}, {}
    for name in ("from", "until"):
        text = params.get(name)
        if not text:
            found[name] = None
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            errors[name] = ["Give a date as YYYY-MM-DD."]
            continue
        if not supported(day):
            errors[name] = ["This date is outside the supported range."]
        found[name] = day
    if errors:
        raise serializers.ValidationError(errors)
    if found["from"] and found["until"] and found["until"] < found["from"]:
        raise serializers.ValidationError({"until": ["The end date is before the start date."]})
    return found["from"], found["until"]
