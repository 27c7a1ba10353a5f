"""Wallboard links: a secret, revocable URL that shows one contest or leaderboard on a TV."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.motivation.leaderboard import DEFAULT_TOP_N, RankBy


class Shows(models.TextChoices):
    CONTEST = "contest", _("A contest")
    LEADERBOARD = "leaderboard", _("A team's leaderboard")


class BoardPeriod(models.TextChoices):
    WEEK = "week", _("This week")
    MONTH = "month", _("This month")
    QUARTER = "quarter", _("This quarter")


class WallboardLink(models.Model):
    """What one TV may show, reached without a login by whoever holds the URL.

    The token is the whole secret (43 URL-safe characters, 256 random bits). It is
    kept readable so the people who manage the link can copy it again; the rows
    it unlocks are the public part of one board, never more than the database holds.
    """

    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="wallboard_links"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    shows = models.CharField(_("shows"), max_length=20, choices=Shows, default=Shows.CONTEST)
    contest = models.ForeignKey(
        "motivation.Contest",
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    team = models.ForeignKey(
        "people.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Its sub-teams too. Empty: the whole organisation."),
    )
    metric_key = models.CharField(_("metric"), max_length=100, blank=True)
    period = models.CharField(
        _("period"), max_length=10, choices=BoardPeriod, default=BoardPeriod.MONTH
    )
    rank_by = models.CharField(
        _("rank by"),
        max_length=20,
        choices=[
            (RankBy.TARGET.value, _("Share of own target")),
            (RankBy.ABSOLUTE.value, _("Absolute value")),
            (RankBy.IMPROVEMENT.value, _("Improvement over own baseline")),
        ],
        default=RankBy.TARGET.value,
    )
    top_n = models.PositiveSmallIntegerField(_("places shown"), default=DEFAULT_TOP_N)
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("wallboard link")
        verbose_name_plural = _("wallboard links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shows="contest", contest__isnull=False)
                | Q(shows="leaderboard", contest__isnull=True),
                name="wallboard_shows_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.contest or self.metric_key)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
