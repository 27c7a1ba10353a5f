"""Rubrics (sales steps, competencies, behaviours per level), role scorecard templates
and a team's assessment settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# How many focus areas a rep works on at once: coaching research says one or two, the
# seeds say five or six; three is the default a team can change.
FOCUS_LIMIT = 3


def default_levels() -> list[dict[str, str]]:
    # Stored in English and translated on display when unchanged (see assessments.levels).
    return [
        {"key": "below", "label": "Below expectations"},
        {"key": "meets", "label": "Meets expectations"},
        {"key": "exceeds", "label": "Exceeds expectations"},
    ]


class Rubric(models.Model):
    """A qualitative standard: sales steps, their competencies, behaviours at each level."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    levels = models.JSONField(
        _("levels"),
        default=default_levels,
        help_text=_("Ordered from lowest to highest; each with a key and a label."),
    )
    starter = models.BooleanField(
        _("starter rubric"),
        default=False,
        help_text=_("Shipped with the product; its texts are translated while unchanged."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def level_keys(self) -> list[str]:
        return [level["key"] for level in self.levels]

    def clean(self) -> None:
        keys = [level.get("key") for level in self.levels or []]
        if len(keys) < 2:
            raise ValidationError({"levels": _("A rubric needs at least two levels.")})
        if len(set(keys)) != len(keys) or not all(keys):
            raise ValidationError({"levels": _("Each level needs its own, non-empty key.")})


class RubricSection(models.Model):
    """A step of the sales process in a rubric (prospecting, discovery, demo...)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("sales step"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rubric section")
        verbose_name_plural = _("rubric sections")
        ordering = ["rubric", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    """One skill in a sales step, with the observable behaviours at each of the rubric's levels.

    Never deleted once rated (archived instead), so past assessments keep their meaning.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    section = models.ForeignKey(
        RubricSection,
        verbose_name=_("sales step"),
        on_delete=models.PROTECT,
        related_name="competencies",
    )
    name = models.CharField(_("competency"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    behaviours = models.JSONField(
        _("behaviours"),
        default=dict,
        blank=True,
        help_text=_("For each level's key, the observable behaviours that show it."),
    )
    metric_key = models.CharField(
        _("metric that should move"),
        max_length=100,
        blank=True,
        help_text=_("Where one exists: the metric improving this competency should move."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["section__position", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class ScorecardTemplate(models.Model):
    """One version of a role's scorecard: KPIs and rubric competencies, with optional weights.

    Everyone whose job title matches is measured with the current version. Editing makes
    a new version (same `family`); past assessments keep pointing at the version they
    used, whose competencies and behaviours are frozen in `competencies`.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    family = models.CharField(_("template"), max_length=40, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(
        _("job title"),
        max_length=200,
        blank=True,
        help_text=_("People with this title use the template. Empty: everyone without one."),
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="templates"
    )
    kpis = models.JSONField(
        _("KPIs"), default=list, blank=True, help_text=_('[{"metric": key, "weight": n}]')
    )
    # Frozen copy of the rubric at publication: levels and, per competency, its id, section,
    # name, behaviours, metric and weight. What an assessment on this version shows.
    levels = models.JSONField(_("levels"), default=default_levels)
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
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
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "family", "version"], name="template_version_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "family"],
                condition=models.Q(is_current=True),
                name="template_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def level_keys(self) -> list[str]:
        return [level["key"] for level in self.levels]


class AssessmentSettings(models.Model):
    """A team's rules for assessments: focus-area limit, peer anonymity, review rhythm."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, related_name="assessment_settings"
    )
    focus_limit = models.PositiveSmallIntegerField(
        _("focus areas at a time"),
        default=FOCUS_LIMIT,
        help_text=_("One or two is what coaching research recommends; three by default."),
    )
    anonymous_peer_reviews = models.BooleanField(
        _("peer reviews are anonymous to the rep"), default=True
    )
    review_months = models.PositiveSmallIntegerField(
        _("months between reviews"), default=3, help_text=_("3: quarterly reviews.")
    )

    class Meta:
        verbose_name = _("assessment settings")
        verbose_name_plural = _("assessment settings")

    def __str__(self) -> str:
        return str(self.team)
