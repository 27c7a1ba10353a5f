"""Assessments (manager, self, peer, observation, certification) and their ratings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    MANAGER = "manager", _("Manager assessment")
    SELF = "self", _("Self-assessment")
    PEER = "peer", _("Peer review")
    OBSERVATION = "observation", _("Call or deal observation")
    CERTIFICATION = "certification", _("Certification")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Corrected")


class Assessment(models.Model):
    """One rater's ratings of one rep against a scorecard template version, for a cycle.

    Submitted assessments are never edited: a correction is a new version that
    supersedes the old one (`supersedes`), both kept in the audit history.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    rater = models.ForeignKey(
        "people.Person", verbose_name=_("rater"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("For a peer review: the manager who chose the peer."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssessmentKind)
    template = models.ForeignKey(
        "assessments.ScorecardTemplate",
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    cycle_start = models.DateField(_("cycle from"))
    cycle_end = models.DateField(_("cycle until"), help_text=_("Inclusive."))
    status = models.CharField(
        _("status"), max_length=20, choices=AssessmentStatus, default=AssessmentStatus.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    anonymous = models.BooleanField(
        _("anonymous to the rep"),
        default=False,
        help_text=_("Peer reviews, when the team chooses."),
    )
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    deal = models.ForeignKey(
        "crm.Deal", verbose_name=_("deal"), on_delete=models.SET_NULL, null=True, blank=True
    )
    activity = models.ForeignKey(
        "crm.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shared with the rep."))
    private_note = models.TextField(
        _("private note"),
        blank=True,
        help_text=_("For the rater and their managers; never the rep."),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-cycle_start", "rep", "kind", "pk"]
        indexes = [
            models.Index(fields=["organisation", "rep", "cycle_start"]),
            models.Index(fields=["organisation", "rater", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rep} {self.cycle_start:%Y-%m-%d}"

    @property
    def is_submitted(self) -> bool:
        return self.status != AssessmentStatus.DRAFT

    def clean(self) -> None:
        if self.cycle_start and self.cycle_end and self.cycle_end < self.cycle_start:
            raise ValidationError({"cycle_end": _("The cycle ends before it starts.")})
        if self.kind == AssessmentKind.SELF and self.rater_id and self.rater_id != self.rep_id:
            raise ValidationError({"rater": _("A self-assessment is written by the rep.")})
        if self.kind != AssessmentKind.SELF and self.rater_id and self.rater_id == self.rep_id:
            raise ValidationError(
                {"rater": _("Nobody rates themself except in a self-assessment.")}
            )


class Rating(models.Model):
    """One competency's level in an assessment, with the evidence behind it."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(
        "assessments.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    level = models.CharField(_("level"), max_length=40)
    evidence = models.TextField(_("evidence"), blank=True)
    rater = models.ForeignKey(
        "people.Person", verbose_name=_("rater"), on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["assessment", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="rating_once_per_competency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.level}"
