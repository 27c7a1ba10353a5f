"""Private calendar feeds: a secret URL per person, revocable and regenerable."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A person's secret iCalendar feed of their 1:1s, reviews and due dates."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person}"
