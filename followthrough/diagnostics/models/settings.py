"""A team's thresholds for the early warnings, and the product mix its leader asks for.

A team without its own settings uses its parent team's, then the organisation's
defaults (settings.py, `settings_for`). Every threshold is documented in
docs/diagnostics.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class DiagnosticSettings(models.Model):
    """Thresholds of the three rights, hygiene and integrity for a team and the teams below it."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, related_name="diagnostic_settings"
    )
    # The three rights: a share of what is needed (or of the team's rate) below "watch"
    # is watched, below "help" needs help.
    watch_below = models.DecimalField(
        _("watch below (% of need)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(80),
        validators=PERCENT,
    )
    help_below = models.DecimalField(
        _("needs help below (% of need)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(60),
        validators=PERCENT,
    )
    channel_share = models.DecimalField(
        _("one-channel share flagged (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(80),
        validators=PERCENT,
        help_text=_("Cold outreach this much in the channel that converts worse for the team."),
    )
    mix_tolerance = models.DecimalField(
        _("mix tolerance (points)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(10),
        validators=PERCENT,
    )
    gap_watch = models.DecimalField(
        _("projected gap watched (% of target)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(15),
        validators=PERCENT,
    )
    gap_help = models.DecimalField(
        _("projected gap needs help (% of target)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(30),
        validators=PERCENT,
    )
    # Hygiene.
    stale_days = models.PositiveSmallIntegerField(
        _("days without activity"),
        default=21,
        validators=[MinValueValidator(1)],
        help_text=_("An open deal with no activity for this long needs a look."),
    )
    long_open_factor = models.DecimalField(
        _("open too long (× the team's cycle)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(2),
        validators=[MinValueValidator(Decimal(1))],
    )
    # Integrity.
    push_count = models.PositiveSmallIntegerField(
        _("close date pushes"), default=3, validators=[MinValueValidator(2)]
    )
    late_quarter_days = models.PositiveSmallIntegerField(
        _("last days of a quarter"), default=15, validators=[MinValueValidator(1)]
    )
    edits_before_review = models.PositiveSmallIntegerField(
        _("edits just before a review"), default=10, validators=[MinValueValidator(2)]
    )
    bulk_count = models.PositiveSmallIntegerField(
        _("activities logged at once"), default=10, validators=[MinValueValidator(2)]
    )
    bulk_late_days = models.PositiveSmallIntegerField(
        _("logged days after they happened"), default=7, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("diagnostic settings")
        verbose_name_plural = _("diagnostic settings")

    def __str__(self) -> str:
        return str(self.team)


class MixDimension(models.TextChoices):
    PRODUCT_FAMILY = "product_family", _("Product family")
    DEAL_TYPE = "deal_type", _("Deal type")


class MixTarget(models.Model):
    """What the company needs sold now: at least this share of a team's won deals in one kind."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="mix_targets")
    dimension = models.CharField(_("by"), max_length=20, choices=MixDimension)
    value = models.CharField(
        _("kind"),
        max_length=100,
        help_text=_("A product family or deal type, as the CRM names it."),
    )
    share = models.DecimalField(
        _("share of won deals (%)"), max_digits=5, decimal_places=1, validators=PERCENT
    )
    note = models.CharField(_("why"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mix target")
        verbose_name_plural = _("mix targets")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "dimension", "value"], name="mixtarget_unique_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.value} ≥ {self.share} %"
