"""Metric definitions (data, per organisation) and the rollups that keep additive ones fast."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from followthrough.metrics.choices import DateBasis, Grain, Kind, Measure, Source, Unit


class Metric(models.Model):
    """A measurable figure of a person's work, defined as data: what to count, how, and when."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="metrics"
    )
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    source = models.CharField(_("facts read"), max_length=20, choices=Source, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    date_basis = models.CharField(
        _("date that places a fact in a period"), max_length=10, choices=DateBasis, blank=True
    )
    measure = models.CharField(_("measure"), max_length=20, choices=Measure, blank=True)
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scale = models.DecimalField(
        _("multiplier"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(1),
        help_text=_("A ratio is multiplied by this, e.g. 100 for 'per 100'."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit, default=Unit.COUNT)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    position = models.PositiveIntegerField(_("position"), default=1000)
    # Lets every process see that its cached catalog is stale (see catalog.get_metrics).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="metric_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language (built-in names are in the catalogues)."""
        return gettext(self.name) if self.builtin else self.name

    @property
    def is_divided(self) -> bool:
        return self.kind in (Kind.RATIO, Kind.AVERAGE)


class Rollup(models.Model):
    """The additive part of one metric for one person over one day or one month."""

    # The two composite indexes below serve every read; single-column ones would only slow writes.
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+", db_index=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    grain = models.CharField(max_length=1, choices=Grain)
    # The day, or the first day of the month for monthly rows.
    day = models.DateField()
    # How many facts, and the sum of their measure (equal to n for plain counts).
    n = models.BigIntegerField(default=0)
    total = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "metric", "grain", "day", "person"],
                name="rollup_unique_cell",
            ),
        ]
        # Reads find everything in an index, never in the table (whose rows are scattered
        # over days): whole organisations by metric first, a few people by person first.
        indexes = [
            models.Index(
                fields=["organisation", "metric", "grain", "day", "person", "n", "total"],
                name="rollup_cell_cover",
            ),
            models.Index(
                fields=["organisation", "person", "metric", "grain", "day", "n", "total"],
                name="rollup_person_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} {self.person_id} {self.grain}{self.day}: {self.n}/{self.total}"
