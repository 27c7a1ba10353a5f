"""Named values of metric definitions: kinds, the facts read, dates, measures and units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COUNT = "count", _("Count")
    SUM = "sum", _("Sum")
    RATIO = "ratio", _("Ratio")
    AVERAGE = "average", _("Average")
    DURATION = "duration", _("Duration")


# Kinds read straight from facts; the others divide two of these.
BASE_KINDS = (Kind.COUNT, Kind.SUM, Kind.DURATION)
DIVIDED_KINDS = (Kind.RATIO, Kind.AVERAGE)


class Source(models.TextChoices):
    DEALS = "deals", _("Deals")
    ACTIVITIES = "activities", _("Activities")
    LEADS = "leads", _("Leads")
    STAGE_CHANGES = "stage_changes", _("Stage changes")


class DateBasis(models.TextChoices):
    CREATED = "created", _("Created")
    CLOSED = "closed", _("Closed")
    OCCURRED = "occurred", _("Occurred")
    ENTERED = "entered", _("Entered stage")
    CONVERTED = "converted", _("Converted")


class Measure(models.TextChoices):
    FACTS = "", _("Number of records")
    ACCOUNTS = "accounts", _("Number of distinct accounts")
    AMOUNT = "amount", _("Amount")
    SECONDS = "duration_seconds", _("Duration in seconds")
    CYCLE_DAYS = "cycle_days", _("Days from created to closed")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    CURRENCY = "currency", _("Currency")
    PERCENT = "percent", _("Percent")
    RATIO = "ratio", _("Ratio")
    DAYS = "days", _("Days")
    SECONDS = "seconds", _("Seconds")


class Grain(models.TextChoices):
    MONTH = "M", _("Month")
    QUARTER = "Q", _("Quarter")
