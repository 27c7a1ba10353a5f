"""Named values of the CRM facts; importers map each CRM's own words onto these."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class DealType(models.TextChoices):
    NEW_BUSINESS = "new_business", _("New business")
    UPSELL = "upsell", _("Upsell")
    CROSS_SELL = "cross_sell", _("Cross-sell")
    RENEWAL = "renewal", _("Renewal")


class ActivityType(models.TextChoices):
    CALL = "call", _("Call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    DEMO = "demo", _("Demo")
    TASK = "task", _("Task")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")


class ActivityOutcome(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL = "voicemail", _("Voicemail")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    REPLIED = "replied", _("Replied")
    MEETING_BOOKED = "meeting_booked", _("Meeting booked")
    FIRST_MEETING_HELD = "first_meeting_held", _("First meeting held")
    SECOND_MEETING_HELD = "second_meeting_held", _("Second meeting held")
    NO_SHOW = "no_show", _("No-show")
    COMPLETED = "completed", _("Completed")


class ChangedField(models.TextChoices):
    CLOSE_DATE = "close_date", _("Close date")
    AMOUNT = "amount", _("Amount")
    OWNER = "owner", _("Owner")
