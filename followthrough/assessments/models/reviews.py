"""Periodic performance reviews: the period's record, the manager's summary, the rep's reply."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the rep")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class Review(models.Model):
    """A rep's review for a period (quarterly by default), kept as history to compare.

    When shared, `record` freezes what the review assembled (KPI summary, ratings,
    self-assessment, peer feedback, coaching-plan progress, commitments kept), so later
    data never rewrites it.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person", verbose_name=_("rep"), on_delete=models.CASCADE, related_name="reviews"
    )
    manager = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("Inclusive."))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus, default=ReviewStatus.DRAFT
    )
    summary = models.TextField(_("manager's summary"), blank=True)
    record = models.JSONField(_("record"), default=dict, blank=True, editable=False)
    rep_comment = models.TextField(_("rep's comment"), blank=True)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-period_start", "rep", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rep", "period_start"], name="review_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rep}: {self.period_start:%Y-%m-%d} – {self.period_end:%Y-%m-%d}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ReviewCommitment(models.Model):
    """A commitment (coaching.Commitment) that came out of a review."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="links"
    )
    commitment = models.OneToOneField(
        "coaching.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="review_link",
    )

    class Meta:
        verbose_name = _("review commitment")
        verbose_name_plural = _("review commitments")

    def __str__(self) -> str:
        return str(self.commitment)
