"""Who receives what, and the ledger of every message sent: one row per message, so a
re-run, a retry or a second worker never sends it twice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from followthrough.people.models import validate_timezone


class Kind(models.TextChoices):
    DIGEST = "digest", _("Weekly digest")
    MEETING_TOMORROW = "meeting_tomorrow", _("1:1 tomorrow")
    SELF_REPORT_DUE = "self_report_due", _("Self-report due")
    COMMITMENT_DUE = "commitment_due", _("Commitment due or overdue")
    REVIEW_DUE = "review_due", _("Review due")
    MILESTONE_DUE = "milestone_due", _("Program milestone due")
    STUCK = "stuck", _("A rep is stuck")


REMINDER_KINDS = [k for k in Kind if k != Kind.DIGEST]


class Preference(models.Model):
    """What one person receives, in which language and time zone (blank: the organisation's)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="notify_preference"
    )
    digest = models.BooleanField(_("weekly digest by e-mail"), default=True)
    reminders = models.BooleanField(_("reminders by e-mail"), default=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_timezone]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.person)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")  # gave up after the last retry
    SKIPPED = "skipped", _("Skipped")  # unsubscribed, or nothing to say


class Delivery(models.Model):
    """One message to one person (or one team's chat channel); `key` names it uniquely."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    # e.g. "digest:2026-W50" or "commitment_due:812:2026-12-08": with the recipient and the
    # channel it is unique, which is what makes sending idempotent.
    key = models.CharField(max_length=120)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel", "person", "key"],
                condition=models.Q(person__isnull=False),
                name="delivery_once_to_person",
            ),
            models.UniqueConstraint(
                fields=["organisation", "channel", "team", "key"],
                condition=models.Q(team__isnull=False),
                name="delivery_once_to_team",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "next_try_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.status}"


class ChatHook(models.Model):
    """A team's incoming webhook (Slack-compatible JSON): its digest goes to the channel."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.OneToOneField("people.Team", on_delete=models.CASCADE, related_name="chat_hook")
    url = models.URLField(_("incoming webhook URL"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat webhook")
        verbose_name_plural = _("chat webhooks")

    def __str__(self) -> str:
        return f"{self.team}: {self.url}"
