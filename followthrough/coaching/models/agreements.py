"""Accountability agreements (versioned, acknowledged) and the humane escalation ladder."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.coaching.models.choices import Frequency, Interval


class Agreement(models.Model):
    """One version of what accountability means for a team, or for one rep of it.

    A change is a new version (the same team or rep, version + 1): everyone it
    covers acknowledges it again. Past versions are never edited.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.ForeignKey(
        "people.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True
    )
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("Only for an agreement with one rep; empty for the whole team."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    expectations = models.TextField(_("what accountability means here"))
    self_report_interval = models.CharField(
        _("self-reports"), max_length=20, choices=Interval, default=Interval.WEEKLY
    )
    cadence = models.CharField(
        _("1:1s"), max_length=20, choices=Frequency, default=Frequency.WEEKLY
    )
    missed_goals = models.TextField(_("when goals are missed"))
    created_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accountability agreement")
        verbose_name_plural = _("accountability agreements")
        ordering = ["-created_at", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(rep__isnull=False),
                name="agreement_for_team_or_rep",
            ),
            models.UniqueConstraint(
                fields=["team", "version"],
                condition=Q(rep__isnull=True),
                name="agreement_team_version",
            ),
            models.UniqueConstraint(
                fields=["rep", "version"],
                condition=Q(rep__isnull=False),
                name="agreement_rep_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep or self.team} v{self.version}"


class Acknowledgement(models.Model):
    """A rep's acknowledgement of one agreement version."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="acknowledgements",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="acknowledged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ✓ {self.agreement}"


class Step(models.IntegerChoices):
    """The humane escalation ladder (P9); the last step should be rare."""

    COACH = 1, _("Coach and develop")
    SHORTER_INTERVAL = 2, _("Shorter reporting interval with a written plan")
    OTHER_ROLE = 3, _("A role outside sales")
    EXIT = 4, _("Exit")


class LadderOutcome(models.TextChoices):
    OPEN = "open", _("In progress")
    LEFT = "left", _("Left the ladder: criteria met")
    MOVED_UP = "moved_up", _("Moved to the next step")
    CLOSED = "closed", _("Closed")


class LadderStep(models.Model):
    """One rep's time on one step of the ladder, with its plan, review and outcome."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rep = models.ForeignKey(
        "people.Person",
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="ladder_steps",
    )
    step = models.PositiveSmallIntegerField(_("step"), choices=Step)
    started_on = models.DateField(_("started"))
    review_on = models.DateField(_("review by"))
    plan = models.TextField(_("written plan"))
    exit_criteria = models.TextField(_("criteria to leave the ladder"))
    # Step 2 shortens the rep's self-report interval to this while the step is open.
    report_interval = models.CharField(
        _("self-reports while on this step"), max_length=20, choices=Interval, blank=True
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review = models.TextField(_("review"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=LadderOutcome, default=LadderOutcome.OPEN
    )
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_step",
    )
    opened_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ladder step")
        verbose_name_plural = _("ladder steps")
        ordering = ["rep", "started_on", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep"], condition=Q(outcome="open"), name="ladder_one_open_step"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep}: {self.get_step_display()}"

    def clean(self) -> None:
        if self.review_on and self.started_on and self.review_on < self.started_on:
            raise ValidationError({"review_on": _("The review date is before the start date.")})
