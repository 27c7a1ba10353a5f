"""What each kind of import writes: its fields, their types and where they go."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from followthrough.crm import choices
from followthrough.crm.models import Account, Activity, Deal, DealStageChange, Lead, Product
from followthrough.people.models import Role


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text, int, decimal, date, datetime, bool, choice, ref
    required: bool = False
    max_length: int = 0
    choices: type[models.TextChoices] | None = None
    ref: str = ""  # person, team, account, product, deal
    nonnegative: bool = False
    not_future: bool = False
    default: object = None

    @property
    def column(self) -> str:
        """The database column this field is written to."""
        return f"{self.name}_id" if self.type == "ref" else self.name


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model] | None
    fields: tuple[Field, ...]
    # Fields computed from others at write time, not mapped (e.g. a local day).
    derived: tuple[str, ...] = ()
    notes: str = ""
    by_name: dict[str, Field] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({f.name: f for f in self.fields})


def text(name: str, length: int, **kw) -> Field:
    return Field(name, "text", max_length=length, **kw)


EXTERNAL_ID = text("external_id", 200, required=True)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "people",
            None,
            (
                text("external_id", 200),
                text("name", 200, required=True),
                text("email", 254),
                text("title", 200),
                Field("role", "choice", choices=Role, default="rep"),
                Field("role_since", "date", not_future=True),
                Field("manager", "ref", ref="person"),
                Field("team", "ref", ref="team"),
                Field("parent_team", "ref", ref="team"),
                Field("effective", "date"),
                Field("is_active", "bool"),
            ),
        ),
        Kind(
            "accounts",
            Account,
            (
                EXTERNAL_ID,
                text("name", 300, required=True),
                text("segment", 100),
                text("industry", 100),
                Field("employees", "int", nonnegative=True),
                Field("annual_revenue", "decimal", nonnegative=True),
                text("country", 100),
                Field("parent", "ref", ref="account"),
            ),
        ),
        Kind(
            "products",
            Product,
            (
                EXTERNAL_ID,
                text("name", 300, required=True),
                text("family", 100),
                Field("list_price", "decimal", nonnegative=True),
            ),
        ),
        Kind(
            "deals",
            Deal,
            (
                EXTERNAL_ID,
                text("name", 300),
                Field("owner", "ref", ref="person"),
                Field("co_owner", "ref", ref="person"),
                Field("account", "ref", ref="account"),
                Field("product", "ref", ref="product"),
                Field("amount", "decimal", nonnegative=True),
                text("currency", 3),
                Field("created_on", "date", not_future=True),
                Field("close_on", "date"),
                text("stage", 100),
                Field("outcome", "choice", choices=choices.Outcome, default="open"),
                Field("deal_type", "choice", choices=choices.DealType, default="new_business"),
                text("loss_reason", 300),
                text("next_step", 500),
                Field("next_step_on", "date"),
            ),
        ),
        Kind(
            "activities",
            Activity,
            (
                EXTERNAL_ID,
                Field("owner", "ref", ref="person", required=True),
                Field("type", "choice", choices=choices.ActivityType, required=True),
                Field("direction", "choice", choices=choices.Direction),
                Field("is_cold", "bool"),
                Field("occurred_at", "datetime", required=True, not_future=True),
                Field("logged_at", "datetime", not_future=True),
                Field("duration_seconds", "int", nonnegative=True),
                Field("outcome", "choice", choices=choices.ActivityOutcome),
                text("subject", 300),
                Field("deal", "ref", ref="deal"),
                Field("account", "ref", ref="account"),
            ),
            derived=("occurred_on",),
        ),
        Kind(
            "leads",
            Lead,
            (
                EXTERNAL_ID,
                text("name", 300),
                text("company", 300),
                text("lead_source", 100),
                Field("owner", "ref", ref="person"),
                Field("created_on", "date", not_future=True),
                Field("first_contact_at", "datetime", not_future=True),
                text("status", 100),
                Field("converted_deal", "ref", ref="deal"),
                Field("converted_on", "date", not_future=True),
            ),
        ),
        Kind(
            "deal-history",
            DealStageChange,
            (
                Field("deal", "ref", ref="deal", required=True),
                text("to_stage", 100, required=True),
                text("from_stage", 100),
                Field("changed_at", "datetime", required=True, not_future=True),
                Field("close_on", "date"),
                Field("amount", "decimal", nonnegative=True),
            ),
            derived=("changed_on",),
        ),
    ]
}
