"""Focus areas (improvement areas picked from an assessment) and coaching plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from followthrough.lib.periods import months_after

# A coaching plan runs three to six months before the re-evaluation (DOMAIN.md P10).
PLAN_MIN_MONTHS = 3
PLAN_MAX_MONTHS = 6


class FocusStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REEVALUATED = "reevaluated", _("Re-evaluated")
    CANCELLED = "cancelled", _("Cancelled")


class CoachingPlan(models.Model):
    """Three to six months of coaching on a rep's focus areas, then a re-evaluation."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="coaching_plans",
    )
    manager = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), on_delete=models.PROTECT, related_name="+"
    )
    goal = models.CharField(_("what should change"), max_length=500)
    start = models.DateField(_("from"))
    reevaluate_on = models.DateField(_("re-evaluation on"))
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus, default=PlanStatus.ACTIVE
    )
    baseline = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment before"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reevaluation = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("assessment after"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coaching plan")
        verbose_name_plural = _("coaching plans")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.goal

    def clean(self) -> None:
        if not (self.start and self.reevaluate_on):
            return
        if not (
            months_after(self.start, PLAN_MIN_MONTHS)
            <= self.reevaluate_on
            <= months_after(self.start, PLAN_MAX_MONTHS)
        ):
            raise ValidationError(
                {"reevaluate_on": _("Re-evaluate three to six months after the plan starts.")}
            )


class FocusArea(models.Model):
    """An improvement area for a rep: a competency and, where one exists, the metric to move."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="focus_areas",
    )
    competency = models.ForeignKey(
        "assessments.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="focus_areas",
    )
    metric_key = models.CharField(_("metric that should move"), max_length=100, blank=True)
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("picked from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_areas",
    )
    plan = models.ForeignKey(
        CoachingPlan,
        verbose_name=_("coaching plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="focus_areas",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FocusStatus, default=FocusStatus.ACTIVE
    )
    picked_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("picked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    picked_on = models.DateField(_("picked on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["-picked_on", "pk"]

    def __str__(self) -> str:
        return str(self.competency)


class PlanCommitment(models.Model):
    """A commitment (coaching.Commitment) made as part of a coaching plan."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    plan = models.ForeignKey(
        CoachingPlan,
        verbose_name=_("coaching plan"),
        on_delete=models.CASCADE,
        related_name="links",
    )
    commitment = models.OneToOneField(
        "coaching.Commitment",
        verbose_name=_("commitment"),
        on_delete=models.CASCADE,
        related_name="plan_link",
    )

    class Meta:
        verbose_name = _("plan commitment")
        verbose_name_plural = _("plan commitments")

    def __str__(self) -> str:
        return str(self.commitment)
