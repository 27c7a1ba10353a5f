"""Contests and quests: games on the metric engine's figures, with rules, prizes and frozen results."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.lib.periods import Period


class Format(models.TextChoices):
    TARGET = "target", _("Target: everyone who reaches it wins")
    RANKING = "ranking", _("Ranking: the top N win")
    RACE = "race", _("Race: the first to reach the target wins")
    MOST_IMPROVED = "most_improved", _("Most improved over one's own baseline")
    TEAM_QUEST = "team_quest", _("Team quest: a shared target")


# Formats that need a target, and those that crown the top N.
NEEDS_TARGET = frozenset({Format.TARGET, Format.RACE, Format.TEAM_QUEST})
NEEDS_TOP_N = frozenset({Format.RANKING, Format.MOST_IMPROVED})


class Participation(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual: each person plays")
    TEAM = "team", _("Team: each team plays")


class ContestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def default_roles() -> list[str]:
    return ["rep"]


class Contest(models.Model):
    """A contest on one metric over a period, for the people its eligibility rules admit."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="contests"
    )
    name = models.CharField(_("name"), max_length=200)
    metric_key = models.CharField(_("metric"), max_length=100)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), help_text=_("Inclusive."))
    format = models.CharField(_("format"), max_length=20, choices=Format, default=Format.RANKING)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    top_n = models.PositiveSmallIntegerField(_("winners (top N)"), null=True, blank=True)
    participation = models.CharField(
        _("who plays"), max_length=20, choices=Participation, default=Participation.INDIVIDUAL
    )
    eligible_roles = models.JSONField(_("roles that may play"), default=default_roles)
    eligible_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its sub-teams play too. Empty: the whole organisation."),
    )
    min_tenure_days = models.PositiveIntegerField(
        _("minimum days in role"),
        default=0,
        help_text=_("Days in their role by the contest's first day."),
    )
    prizes = models.TextField(_("prizes"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ContestStatus, default=ContestStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Frozen at the close: {"entries": [...], "metric": key, ...} (see motivation/closing.py).
    results = models.JSONField(_("frozen results"), null=True, blank=True)
    results_as_of = models.DateTimeField(_("results as of"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="contest_dates"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "start"])]

    def __str__(self) -> str:
        return self.name

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def baseline_period(self) -> Period:
        """The equal-length period just before the contest: everyone's own baseline."""
        days = dt.timedelta(days=self.period.days)
        return Period(self.start - days, self.start - dt.timedelta(days=1))

    @property
    def is_closed(self) -> bool:
        return self.status == ContestStatus.CLOSED


class QuestStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class Quest(models.Model):
    """A personal challenge a person proposes for themself; their manager approves or declines."""

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="quests"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="quests"
    )
    metric_key = models.CharField(_("metric"), max_length=100)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), help_text=_("Inclusive."))
    note = models.CharField(_("why this quest"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=QuestStatus, default=QuestStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quest")
        verbose_name_plural = _("quests")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="quest_dates"),
            models.CheckConstraint(condition=Q(target__gte=0), name="quest_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.metric_key} ≥ {self.target:f} ({self.start}–{self.end})"

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)
