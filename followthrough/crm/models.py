"""The CRM facts: accounts, products, deals and their history, activities and leads.

Every fact carries the organisation and the (source, external id) it came
from, so importing the same record again updates it instead of adding one.
Missing values stay missing (NULL): nothing is invented.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from followthrough.crm.choices import (
    ActivityOutcome,
    ActivityType,
    ChangedField,
    DealType,
    Direction,
    Outcome,
)


class Fact(models.Model):
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=200)
    imported_at = models.DateTimeField(_("imported"), auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def unique_key(cls, name: str) -> models.UniqueConstraint:
        return models.UniqueConstraint(
            fields=["organisation", "source", "external_id"], name=f"{name}_unique_source_id"
        )


class Account(Fact):
    """A customer or prospect company."""

    name = models.CharField(_("name"), max_length=300)
    segment = models.CharField(_("segment"), max_length=100, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    employees = models.IntegerField(_("employees"), null=True, blank=True)
    annual_revenue = models.DecimalField(
        _("annual revenue"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    # First won deal: "new logo" is a won deal on or before the account's first win.
    first_won_on = models.DateField(_("first won"), null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [Fact.unique_key("account")]
        indexes = [
            models.Index(fields=["organisation", "name"]),
            # New logos of a period start from the accounts first won in it (metrics/reading.py).
            models.Index(fields=["organisation", "first_won_on"]),
        ]

    def __str__(self) -> str:
        return self.name


class Product(Fact):
    """Something the company sells."""

    name = models.CharField(_("name"), max_length=300)
    family = models.CharField(_("family"), max_length=100, blank=True)
    list_price = models.DecimalField(
        _("list price"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [Fact.unique_key("product")]

    def __str__(self) -> str:
        return self.name


class Deal(Fact):
    """An opportunity, from creation to won or lost."""

    name = models.CharField(_("name"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="deals"
    )
    # Pair selling: a second owner sharing the credit (docs/metrics.md, "Shared credit").
    # Indexed by the partial index below only: most deals have none.
    co_owner = models.ForeignKey(
        "people.Person",
        verbose_name=_("co-owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="co_owned_deals",
        db_index=False,
    )
    # The co-owner's share in percent, from the owner's team credit rule (crm/credit.py):
    # stored so the engine adds shares up in SQL. NULL without a co-owner.
    co_owner_percent = models.PositiveSmallIntegerField(
        _("co-owner's share (%)"), null=True, blank=True
    )
    account = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    created_on = models.DateField(_("created"), null=True, blank=True)
    close_on = models.DateField(
        _("close date"),
        null=True,
        blank=True,
        help_text=_("Expected while open; actual once closed."),
    )
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, default=Outcome.OPEN)
    deal_type = models.CharField(
        _("type"), max_length=20, choices=DealType, default=DealType.NEW_BUSINESS
    )
    loss_reason = models.CharField(_("loss reason"), max_length=300, blank=True)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    next_step_on = models.DateField(_("next step date"), null=True, blank=True)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [Fact.unique_key("deal")]
        indexes = [
            # The metric engine's reads of closed deals (new logos join accounts from them)
            # are covered: no lookup of the deal rows themselves. The same columns twice:
            # for a whole organisation, and owner first for a few people. A planner without
            # statistics (SQLite as the application leaves it) prefers the index matching
            # the most equalities, so the owner's must match owner, organisation and outcome
            # or it scans the whole organisation's won deals for one person.
            models.Index(fields=["organisation", "outcome", "close_on", "owner", "account"]),
            models.Index(fields=["owner", "organisation", "outcome", "close_on", "account"]),
            models.Index(fields=["organisation", "created_on"]),
            # The engine's shared-credit read (metrics/reading.py) starts from the few shared
            # deals; a partial index costs nothing for the deals without a co-owner.
            models.Index(
                fields=["organisation", "co_owner"],
                condition=models.Q(co_owner__isnull=False),
                name="crm_deal_shared_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.external_id

    def save(self, *args, **kwargs):
        # A deal saved with a new co-owner takes its share from the team rule; imports
        # resolve theirs together after the merge (crm/credit.py).
        if self.co_owner_id is None or self.co_owner_id == self.owner_id or not self.owner_id:
            self.co_owner_percent = None
        elif self.co_owner_percent is None:
            from followthrough.crm.credit import Rules

            rules = Rules(self.organisation_id, {self.owner_id})
            self.co_owner_percent = rules.percent(self.owner_id, self.created_on or self.close_on)
        super().save(*args, **kwargs)

    @property
    def owner_percent(self) -> int | None:
        """The owner's share in percent when the credit is shared, else None."""
        if self.co_owner_id is None or self.co_owner_percent is None:
            return None
        return 100 - self.co_owner_percent

    @property
    def shared_credit(self) -> str:
        """Where the credit is shared, in words ("shared 50/50 with Rob"), else empty."""
        if self.owner_id is None or self.owner_percent is None:
            return ""
        return _("shared %(owner)s/%(co_owner)s with %(name)s") % {
            "owner": self.owner_percent,
            "co_owner": self.co_owner_percent,
            "name": self.co_owner,
        }


class CreditRule(models.Model):
    """How a shared deal's credit splits: the co-owner's share, for a team or the organisation.

    A deal takes the rule of its owner's team on the deal's date (created, else close),
    else of the nearest team above it, else the organisation's (team empty), else 50 %.
    """

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the organisation's default."),
    )
    co_owner_percent = models.PositiveSmallIntegerField(
        _("co-owner's share (%)"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("credit rule")
        verbose_name_plural = _("credit rules")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "team"], name="creditrule_unique_team"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(team__isnull=True),
                name="creditrule_unique_default",
            ),
            models.CheckConstraint(
                condition=models.Q(co_owner_percent__lte=100), name="creditrule_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team or '-'}: {100 - self.co_owner_percent}/{self.co_owner_percent}"


class DealStageChange(models.Model):
    """A deal moved from one stage to another."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=100, blank=True)
    to_stage = models.CharField(_("to"), max_length=100)
    changed_at = models.DateTimeField(_("when"))
    changed_on = models.DateField(_("day"), help_text=_("In the organisation's time zone."))

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["deal", "changed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "to_stage", "changed_at"], name="stagechange_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "changed_on"]),
            # Covers the stage-order count (diagnostics/stage_order.py): a year of moves is
            # counted from the index alone instead of a table lookup per move.
            models.Index(
                fields=["organisation", "changed_on", "from_stage", "to_stage"],
                name="crm_stagechange_order_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal}: {self.from_stage or '—'} → {self.to_stage}"


class DealChange(models.Model):
    """A change to a deal's close date, amount or owner, seen between two imports."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=20, choices=ChangedField)
    old_value = models.CharField(_("before"), max_length=100, blank=True)
    new_value = models.CharField(_("after"), max_length=100, blank=True)
    changed_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("deal change")
        verbose_name_plural = _("deal changes")
        ordering = ["deal", "changed_at"]
        indexes = [models.Index(fields=["organisation", "field", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.deal}: {self.field} {self.old_value} → {self.new_value}"


class Activity(Fact):
    """A call, e-mail, meeting, demo or task done by a person."""

    # No index of its own: reads by person are by period too, through the (organisation,
    # day, owner) index, and each index costs an import of a million rows about 1.5 s.
    owner = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        db_index=False,
    )
    type = models.CharField(_("type"), max_length=10, choices=ActivityType)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction, blank=True)
    is_cold = models.BooleanField(_("cold"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("when"))
    occurred_on = models.DateField(_("day"), help_text=_("In the organisation's time zone."))
    # When it was entered in the CRM, where the export says (HubSpot's create date,
    # Salesforce's CreatedDate): activities logged long after they happened show there.
    logged_at = models.DateTimeField(_("logged"), null=True, blank=True)
    duration_seconds = models.IntegerField(_("duration (s)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=ActivityOutcome, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    deal = models.ForeignKey(Deal, on_delete=models.SET_NULL, null=True, blank=True)
    account = models.ForeignKey(Account, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [Fact.unique_key("activity")]
        indexes = [
            models.Index(fields=["organisation", "occurred_on", "owner"]),
            # The right time's touch that opened a deal (diagnostics/projection.py): the cold
            # touches on a sample of accounts, read from this index alone. Through the account
            # index each of an account's activities cost a lookup in the table (2.8 s for the
            # benchmark's 1,600 sampled accounts with a warm cache, over 20 s with a cold one).
            # is_cold is repeated as a column: SQLite reads the table for a column the query
            # names even when the index's condition already fixes it.
            models.Index(
                fields=["account", "owner", "occurred_on", "is_cold"],
                condition=models.Q(is_cold=True),
                name="crm_activity_cold_touch_idx",
            ),
            # Integrity's bulk-logging read (diagnostics/integrity.py): a quarter of the
            # activities logged after they happened, from this index alone. Through the
            # (organisation, day, owner) index each one cost a lookup in the table for its
            # two times; activities logged as they happened are not in it at all.
            models.Index(
                fields=["organisation", "occurred_on", "owner", "logged_at", "occurred_at"],
                condition=models.Q(logged_at__gt=models.F("occurred_at")),
                name="crm_activity_late_log_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_at:%Y-%m-%d}"


class Lead(Fact):
    """A prospect worked by an SDR before it becomes a deal."""

    name = models.CharField(_("name"), max_length=300, blank=True)
    company = models.CharField(_("company"), max_length=300, blank=True)
    lead_source = models.CharField(_("lead source"), max_length=100, blank=True)
    owner = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
    )
    created_on = models.DateField(_("created"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    converted_deal = models.ForeignKey(Deal, on_delete=models.SET_NULL, null=True, blank=True)
    converted_on = models.DateField(_("converted"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [Fact.unique_key("lead")]

    def __str__(self) -> str:
        return self.name or self.external_id
