"""Onboarding and certification programs (the 30/60/90-day plan), their milestones, and
the people enrolled in them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class MilestoneKind(models.TextChoices):
    TRAINING = "training", _("Training done")
    CERTIFICATION = "certification", _("Certification passed")
    METRIC = "metric", _("Metric reached")


class Program(models.Model):
    """An onboarding or certification program: milestones due so many days after the start."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starter = models.BooleanField(
        _("starter program"),
        default=False,
        help_text=_("Shipped with the product; its texts are translated while unchanged."),
    )
    is_active = models.BooleanField(_("open for enrolment"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of a program with its definition of done and its due day after the start.

    Training is checked off with evidence; a certification is a rubric-based sign-off by a
    manager (a certification assessment on `template`); a metric milestone completes
    itself from CRM data once `metric_key` reaches `target` counted from the start.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    definition_of_done = models.TextField(_("definition of done"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind)
    due_day = models.PositiveSmallIntegerField(
        _("due on day"), help_text=_("Days after the start date: 30, 60, 90...")
    )
    metric_key = models.CharField(_("metric"), max_length=100, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    template = models.ForeignKey(
        "assessments.ScorecardTemplate",
        verbose_name=_("certified against"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["program", "due_day", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == MilestoneKind.METRIC and not (self.metric_key and self.target):
            raise ValidationError({"target": _("A metric milestone needs a metric and a target.")})
        if self.kind == MilestoneKind.CERTIFICATION and not self.template_id:
            raise ValidationError(
                {"template": _("A certification names the scorecard template it is passed on.")}
            )


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    """A person in a program from a start date (usually their first day)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="enrolments"
    )
    start = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=20, choices=EnrolmentStatus, default=EnrolmentStatus.ACTIVE
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program", "start"], name="enrolment_once_per_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.program}"


class MilestoneCompletion(models.Model):
    """A milestone done for one enrolment: checked off, signed off, or reached in the data."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="completions"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="+"
    )
    done_on = models.DateField(_("done on"))
    evidence = models.TextField(_("evidence"), blank=True)
    signed_off_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("signed off by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assessment = models.ForeignKey(
        "assessments.Assessment",
        verbose_name=_("certification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("milestone completion")
        verbose_name_plural = _("milestone completions")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "milestone"], name="milestone_done_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.milestone}"
