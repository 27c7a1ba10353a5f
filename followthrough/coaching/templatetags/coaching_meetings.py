"""Template helpers of the 1:1 pages: agenda figures and dates, links to other parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from followthrough.coaching.questions import display_question
from followthrough.crm.choices import ActivityType, ChangedField, Outcome
from followthrough.metrics.labels import format_number, format_value
from followthrough.scorecards.templatetags.scorecards import STATUS_SYMBOL, STATUS_TEXT

register = template.Library()


def _url(name: str, fallback: str) -> str:
    # Commitments and problems are built beside this part: the plain path until they exist.
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


@register.simple_tag
def commitment_new_url(meeting, owner_id, next_url: str = "") -> str:
    query = {"meeting": meeting.pk, "owner": owner_id}
    if next_url:
        query["next"] = next_url
    return f"{_url('commitment_new', '/commitments/new/')}?{urlencode(query)}"


@register.simple_tag
def problems_url(person_id=None) -> str:
    base = _url("problems", "/problems/")
    return f"{base}?{urlencode({'person': person_id})}" if person_id else base


@register.filter
def question(text: str) -> str:
    return display_question(text)


@register.filter
def day(value):
    """An ISO date (or datetime) from a stored agenda, as a date for the |date filter."""
    if not value:
        return None
    try:
        if "T" in str(value):
            return dt.datetime.fromisoformat(str(value))
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.simple_tag
def kpi_figure(item: dict, name: str, currency: str = "") -> str:
    return format_value(_decimal(item.get(name)), item.get("unit", ""), currency)


@register.filter
def amount(value) -> str:
    return format_number(_decimal(value))


@register.filter
def kpi_name(item: dict) -> str:
    return _(item.get("name", "")) if item.get("builtin") else item.get("name", "")


@register.filter
def pace_text(status: str) -> str:
    return str(STATUS_TEXT.get(status, ""))


@register.filter
def pace_symbol(status: str) -> str:
    return STATUS_SYMBOL.get(status, "")


@register.filter
def activity_type(value: str) -> str:
    return str(dict(ActivityType.choices).get(value, value))


@register.filter
def changed_field(value: str) -> str:
    return str(dict(ChangedField.choices).get(value, value))


@register.filter
def outcome(value: str) -> str:
    return str(dict(Outcome.choices).get(value, value))
