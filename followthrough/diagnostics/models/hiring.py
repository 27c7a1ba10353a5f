"""The hiring forecast's assumptions: measured values an admin or leader may override."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class HiringAssumptions(models.Model):
    """One team's (or region's) plan for a year; an empty field means "use the measured value"."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.ForeignKey(
        "people.Team", on_delete=models.CASCADE, related_name="hiring_assumptions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    metric_key = models.CharField(_("metric"), max_length=100, default="revenue_won")
    annual_target = models.DecimalField(
        _("target for the year"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Empty: the sum of the team's goals for the year, else this year's plus growth."
        ),
    )
    growth = models.DecimalField(
        _("growth over this year (%)"),
        max_digits=6,
        decimal_places=1,
        default=Decimal(20),
        validators=[MinValueValidator(Decimal(-100)), MaxValueValidator(Decimal(1000))],
    )
    productivity = models.DecimalField(
        _("monthly figure of a fully ramped rep"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    ramp_months = models.PositiveSmallIntegerField(
        _("months to full ramp"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    attrition = models.DecimalField(
        _("yearly attrition (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    lead_months = models.PositiveSmallIntegerField(
        _("months from opening a role to the start"),
        default=2,
        validators=[MaxValueValidator(24)],
    )
    updated_by = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hiring assumptions")
        verbose_name_plural = _("hiring assumptions")
        constraints = [
            models.UniqueConstraint(fields=["team", "year"], name="hiringassumptions_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.year}"
