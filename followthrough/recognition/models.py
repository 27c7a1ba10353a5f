"""Recognition: badges (earned by rule or granted by a person), kudos between colleagues,
and the win and loss stories a team learns from. docs/motivation.md defines each rule."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MESSAGE_LENGTH = 500
STORY_LENGTH = 1000


class Rule(models.TextChoices):
    """How a badge is earned: by one of these rules, or granted by a person (blank)."""

    FIRST_DEAL = "first_deal", _("First deal won")
    RECORD_MONTH = "record_month", _("Record month")
    STREAK = "streak", _("Weeks on pace")
    CERTIFIED = "certified", _("Certification passed")
    MOST_IMPROVED = "most_improved", _("Most improved")
    # Awarded by contests and team quests (motivation) through badges.award, not by hand.
    CONTEST = "contest", _("Contest or team quest")


class Badge(models.Model):
    """A badge people can earn: by a rule, or granted by a manager with a reason."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    rule = models.CharField(_("earned by"), max_length=20, choices=Rule, blank=True)
    symbol = models.CharField(_("symbol"), max_length=8, default="★")
    starter = models.BooleanField(
        _("starter badge"),
        default=False,
        help_text=_("Shipped with the product; its texts are translated while unchanged."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["rule", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="badge_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def granted(self) -> bool:
        return not self.rule

    @property
    def label(self) -> str:
        """The name in the reader's language while it is the shipped one."""
        return gettext(self.name) if self.starter else self.name

    @property
    def blurb(self) -> str:
        return gettext(self.description) if self.starter and self.description else self.description


class BadgeAward(models.Model):
    """A badge earned by one person on one occasion (a month, a streak, a deal, a contest).

    `occasion` makes awarding idempotent: the same rule on the same occasion awards once.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="badge_awards",
    )
    badge = models.ForeignKey(
        Badge, verbose_name=_("badge"), on_delete=models.PROTECT, related_name="awards"
    )
    occasion = models.CharField(_("occasion"), max_length=100)
    awarded_on = models.DateField(_("awarded on"))
    reason = models.CharField(_("reason"), max_length=MESSAGE_LENGTH)
    granted_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=100, help_text=_("The rule, a person, or a contest.")
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("badge award")
        verbose_name_plural = _("badge awards")
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "awarded_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["badge", "person", "occasion"], name="badgeaward_once_per_occasion"
            ),
            models.CheckConstraint(
                condition=Q(granted_by__isnull=True) | ~Q(granted_by=models.F("person")),
                name="badgeaward_not_self_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.badge}"


class Kudos(models.Model):
    """Thanks from one colleague to another, with a message, maybe about a deal or a skill."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    sender = models.ForeignKey(
        "people.Person", verbose_name=_("from"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        "people.Person",
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="kudos_received",
    )
    message = models.CharField(_("message"), max_length=MESSAGE_LENGTH)
    deal = models.ForeignKey(
        "crm.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    competency = models.ForeignKey(
        "assessments.Competency",
        verbose_name=_("competency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sender", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=models.F("recipient")), name="kudos_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}"


class RecognitionSettings(models.Model):
    """An organisation's kudos budget and flood limit, and its streak length."""

    organisation = models.OneToOneField(
        "people.Organisation", on_delete=models.CASCADE, related_name="recognition_settings"
    )
    kudos_per_month = models.PositiveSmallIntegerField(
        _("kudos each person may give a month"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("A small budget keeps kudos meaningful."),
    )
    kudos_per_minute = models.PositiveSmallIntegerField(
        _("kudos each person may give a minute"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    streak_weeks = models.PositiveSmallIntegerField(
        _("weeks on pace for a streak badge"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(26)],
    )

    class Meta:
        verbose_name = _("recognition settings")
        verbose_name_plural = _("recognition settings")

    def __str__(self) -> str:
        return str(self.organisation)


class StoryOutcome(models.TextChoices):
    WON = "won", _("Win")
    LOST = "lost", _("Loss")


class Story(models.Model):
    """A few lines on a closed deal: what worked and what did not, shared with the team."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    deal = models.ForeignKey(
        "crm.Deal", verbose_name=_("deal"), on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=StoryOutcome)
    # Copied from the deal when written, so the story stays findable as the CRM changes.
    product = models.ForeignKey(
        "crm.Product",
        verbose_name=_("product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    worked = models.TextField(_("what worked"), max_length=STORY_LENGTH, blank=True)
    did_not_work = models.TextField(_("what did not work"), max_length=STORY_LENGTH, blank=True)
    shared = models.BooleanField(_("shared with the team"), default=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "author"], name="story_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.deal}"
