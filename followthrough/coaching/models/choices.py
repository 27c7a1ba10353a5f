"""Rhythms shared by cadences, agreements and the ladder."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often a manager and a rep hold their 1:1."""

    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")


class Interval(models.TextChoices):
    """How often a rep writes a self-report; the ladder's step 2 shortens it."""

    MONTHLY = "monthly", _("Monthly")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    WEEKLY = "weekly", _("Weekly")
    DAILY = "daily", _("Every working day")


# Longest first: step 2 of the ladder moves a rep one place down this list.
INTERVALS_LONGEST_FIRST = (Interval.MONTHLY, Interval.FORTNIGHTLY, Interval.WEEKLY, Interval.DAILY)
