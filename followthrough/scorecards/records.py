"""The records behind a figure as a table: which columns each kind of fact shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from followthrough.crm.models import Activity, Deal, DealStageChange, Lead


@dataclass(frozen=True)
class Column:
    """A column of the records table: its heading and how to read it from a record."""

    label: str
    path: str
    numeric: bool = False


COLUMNS: dict[type, tuple[Column, ...]] = {
    Deal: (
        Column(_("Deal"), "__str__"),
        Column(_("Account"), "account"),
        Column(_("Owner"), "owner"),
        Column(_("Stage"), "stage"),
        Column(_("Outcome"), "get_outcome_display"),
        Column(_("Created"), "created_on"),
        Column(_("Close date"), "close_on"),
        Column(_("Credit"), "shared_credit"),
        Column(_("Amount"), "amount", numeric=True),
    ),
    Activity: (
        Column(_("Day"), "occurred_on"),
        Column(_("Type"), "get_type_display"),
        Column(_("Subject"), "subject"),
        Column(_("Owner"), "owner"),
        Column(_("Direction"), "get_direction_display"),
        Column(_("Outcome"), "get_outcome_display"),
        Column(_("Deal"), "deal"),
    ),
    Lead: (
        Column(_("Lead"), "__str__"),
        Column(_("Company"), "company"),
        Column(_("Owner"), "owner"),
        Column(_("Created"), "created_on"),
        Column(_("Status"), "status"),
        Column(_("Converted"), "converted_on"),
    ),
    DealStageChange: (
        Column(_("Deal"), "deal"),
        Column(_("From"), "from_stage"),
        Column(_("To"), "to_stage"),
        Column(_("Day"), "changed_on"),
    ),
}
RELATED = {
    Deal: ("owner", "account", "co_owner"),
    Activity: ("owner", "deal"),
    Lead: ("owner",),
    DealStageChange: ("deal",),
}


def columns_for(records: QuerySet) -> tuple[Column, ...]:
    return COLUMNS.get(records.model, (Column(_("Record"), "__str__"),))


def with_related(records: QuerySet) -> QuerySet:
    """The records with what their columns show, loaded in the same query."""
    return records.select_related(*RELATED.get(records.model, ()))


def cells(record, columns: tuple[Column, ...]) -> list[tuple[object, bool]]:
    """(value, numeric) for each column of `record`."""
    values = []
    for column in columns:
        value = getattr(record, column.path, None)
        values.append((value() if callable(value) else value, column.numeric))
    return values
