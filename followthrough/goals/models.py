"""Goals: targets per person or team, per metric and period, with ramps for new hires."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.goals.ramp import DEFAULT_RAMP
from followthrough.lib.periods import Period, PeriodKind

TARGET_PLACES = Decimal("0.0001")


class PeriodKindChoice(models.TextChoices):
    WEEK = PeriodKind.WEEK.value, _("Week")
    MONTH = PeriodKind.MONTH.value, _("Month")
    QUARTER = PeriodKind.QUARTER.value, _("Quarter")
    YEAR = PeriodKind.YEAR.value, _("Year")
    FISCAL_YEAR = PeriodKind.FISCAL_YEAR.value, _("Fiscal year")
    CUSTOM = PeriodKind.CUSTOM.value, _("Custom range")


class RampChoice(models.TextChoices):
    ORGANISATION = "organisation", _("The organisation's ramp")
    NONE = "none", _("No ramp: the full target from day one")
    CUSTOM = "custom", _("A ramp of its own")


def default_ramp() -> list[int]:
    return list(DEFAULT_RAMP)


def validate_shares(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, int) and 0 <= v <= 100 for v in value):
        raise ValidationError(_("Give each month's share as a whole percentage from 0 to 100."))
    if len(value) > 24:
        raise ValidationError(_("A ramp can last at most 24 months."))


class GoalSettings(models.Model):
    """An organisation's goal settings: the ramp for new hires and the scorecard's metrics."""

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="goal_settings"
    )
    ramp_shares = models.JSONField(
        _("ramp for new hires"),
        default=default_ramp,
        validators=[validate_shares],
        help_text=_("Percent of the full target in month 1, 2, 3... of tenure; then 100 %."),
    )
    scorecard_metrics = models.JSONField(
        _("scorecard metrics"),
        default=list,
        blank=True,
        help_text=_("Metric keys every scorecard shows, besides those with a goal."),
    )

    class Meta:
        verbose_name = _("goal settings")
        verbose_name_plural = _("goal settings")

    def __str__(self) -> str:
        return str(_("Goal settings"))


class Goal(models.Model):
    """A target for one person or one team, on one metric, for one period."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="goals"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
    )
    metric_key = models.CharField(_("metric"), max_length=100)
    period_kind = models.CharField(
        _("period"), max_length=20, choices=PeriodKindChoice, default=PeriodKindChoice.MONTH
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), help_text=_("Inclusive."))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    ramp = models.CharField(
        _("ramp for new hires"),
        max_length=20,
        choices=RampChoice,
        default=RampChoice.ORGANISATION,
    )
    ramp_shares = models.JSONField(
        _("own ramp"), default=list, blank=True, validators=[validate_shares]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-start", "metric_key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, team__isnull=True)
                | Q(person__isnull=True, team__isnull=False),
                name="goal_person_or_team",
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="goal_dates"),
            models.CheckConstraint(condition=Q(target__gte=0), name="goal_target_not_negative"),
            models.UniqueConstraint(
                fields=["person", "metric_key", "start", "end"],
                condition=Q(person__isnull=False),
                name="goal_unique_person_period",
            ),
            models.UniqueConstraint(
                fields=["team", "metric_key", "start", "end"],
                condition=Q(team__isnull=False),
                name="goal_unique_team_period",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "metric_key", "start", "end"])]

    def __str__(self) -> str:
        who = self.person or self.team
        # Fixed-point: normalize() alone writes 50000 as "5E+4".
        target = f"{self.target.normalize():f}" if self.target is not None else ""
        return f"{who}: {self.metric_key} {self.period.key} = {target}"

    def save(self, *args, **kwargs) -> None:
        # Stored as the database keeps it, so the audit history compares like with like.
        if self.target is not None:
            self.target = Decimal(self.target).quantize(TARGET_PLACES)
        super().save(*args, **kwargs)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end, self.period_kind, self.organisation_fiscal_start)

    @property
    def organisation_fiscal_start(self) -> int:
        if self.period_kind != PeriodKind.FISCAL_YEAR:
            return 1
        return self.start.month

    @property
    def subject(self):
        return self.person or self.team
