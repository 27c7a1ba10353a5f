"""Commitments with due dates, self-reports with deadlines, problems raised, notifications."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")
    MISSED = "missed", _("Missed")


class Commitment(models.Model):
    """Something a rep or a manager committed to, by a date (a commitment without one is refused)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    owner = models.ForeignKey(
        "people.Person",
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    created_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.CharField(_("commitment"), max_length=500)
    created_on = models.DateField(_("made on"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CommitmentStatus, default=CommitmentStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    meeting = models.ForeignKey(
        "coaching.Meeting",
        verbose_name=_("made in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    metric_key = models.CharField(_("metric"), max_length=60, blank=True)
    goal = models.ForeignKey(
        "goals.Goal", verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True
    )
    deal = models.ForeignKey(
        "crm.Deal", verbose_name=_("deal"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "owner", "due_on"])]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.due_on and self.created_on and self.due_on < self.created_on:
            raise ValidationError({"due_on": _("The due date is before the day it was made.")})
        if self.status == CommitmentStatus.DONE and not self.evidence.strip():
            raise ValidationError({"evidence": _("Say what shows it is done.")})


class SelfReport(models.Model):
    """A rep's own account of one reporting interval, due by a deadline."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="self_reports",
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    due_on = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    results = models.TextField(_("results, in your words"), blank=True)
    coached_on = models.CharField(_("you coached me on"), max_length=500, blank=True)
    changed = models.TextField(_("what I changed"), blank=True)
    metric_key = models.CharField(_("the metric that should move"), max_length=60, blank=True)
    next_steps = models.TextField(_("my plan for the next interval"), blank=True)
    reviewed_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    manager_comment = models.TextField(_("manager's comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "period_start"], name="selfreport_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep} {self.period_start}–{self.period_end}"

    def clean(self) -> None:
        if self.period_end and self.period_start and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end date is before the start date.")})


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Problem(models.Model):
    """ "I'm stuck": a problem a rep raised on a deal or goal; raising it early is good practice."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("raised by"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    manager = models.ForeignKey(
        "people.Person",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("what is blocking you"))
    deal = models.ForeignKey(
        "crm.Deal", verbose_name=_("deal"), on_delete=models.SET_NULL, null=True, blank=True
    )
    goal = models.ForeignKey(
        "goals.Goal", verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True
    )
    raised_at = models.DateTimeField(_("raised"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProblemStatus, default=ProblemStatus.OPEN
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    meeting = models.ForeignKey(
        "coaching.Meeting",
        verbose_name=_("discussed in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem raised")
        verbose_name_plural = _("problems raised")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.text[:60]


class NotificationKind(models.TextChoices):
    PROBLEM_RAISED = "problem_raised", _("A rep is stuck")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Commitment overdue")
    SELF_REPORT_DUE = "self_report_due", _("Self-report due")
    SELF_REPORT_SUBMITTED = "self_report_submitted", _("Self-report submitted")
    AGREEMENT_CHANGED = "agreement_changed", _("Agreement to acknowledge")
    MEETING_CHANGED = "meeting_changed", _("1:1 changed")


class Notification(models.Model):
    """A message in the product for one person; the text is built in their language on display."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind)
    url = models.CharField(max_length=300, blank=True)
    excerpt = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"
