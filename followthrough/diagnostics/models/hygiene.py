"""The hygiene score's history: each person's open deals and how many are clean, per day."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HygieneScore(models.Model):
    """One person's CRM hygiene on one day (written by the nightly run; docs/diagnostics.md)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    open_deals = models.PositiveIntegerField(_("open deals"))
    clean_deals = models.PositiveIntegerField(_("deals without an issue"))
    # Issues by rule key (stale, close_past, ...): how many open deals each rule flagged.
    issues = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("hygiene score")
        verbose_name_plural = _("hygiene scores")
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="hygienescore_unique_day")
        ]
        indexes = [models.Index(fields=["organisation", "day"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}: {self.clean_deals}/{self.open_deals}"

    @property
    def score(self):
        """Share of open deals with no issue, 0-100 (100 with no open deals)."""
        if not self.open_deals:
            return 100
        return round(100 * self.clean_deals / self.open_deals)
