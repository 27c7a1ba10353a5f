"""1:1 cadences, meetings (1:1s and deal reviews), their notes and agenda items."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.coaching.models.choices import Frequency

STALE_DAYS = 21  # the three-week review promise: a deal untouched this long is raised


def default_questions() -> list[str]:
    # Stored in English and translated on display when unchanged (see coaching.questions).
    return [
        "What went well?",
        "What would have gone better?",
        "What will you change next time?",
    ]


class CoachingSettings(models.Model):
    """A team's coaching rules: the reflective questions and the deal-review promise."""

    team = models.OneToOneField(
        "people.Team", on_delete=models.CASCADE, related_name="coaching_settings"
    )
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    questions = models.JSONField(
        _("reflective questions"),
        default=default_questions,
        help_text=_("The rep answers these first in every 1:1 and deal review."),
    )
    deal_review_days = models.PositiveSmallIntegerField(
        _("every open deal reviewed within (days)"),
        null=True,
        blank=True,
        help_text=_("The team's promise, checked by the product. Empty: no promise."),
    )
    stale_days = models.PositiveSmallIntegerField(
        _("a deal is stale after (days without activity)"), default=STALE_DAYS
    )

    class Meta:
        verbose_name = _("coaching settings")
        verbose_name_plural = _("coaching settings")

    def __str__(self) -> str:
        return str(self.team)


class Cadence(models.Model):
    """The rhythm of one manager-rep pair's 1:1s, in the organisation's time zone."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    manager = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    rep = models.ForeignKey(
        "people.Person", verbose_name=_("rep"), on_delete=models.CASCADE, related_name="cadences"
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        default=0,
    )
    time = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("1:1 cadence")
        verbose_name_plural = _("1:1 cadences")
        constraints = [
            models.UniqueConstraint(
                fields=["manager", "rep"],
                condition=Q(ends_on__isnull=True),
                name="cadence_one_current_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} · {self.rep} ({self.frequency})"

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.rep_id:
            raise ValidationError({"rep": _("A 1:1 needs two people.")})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


class MeetingKind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("1:1")
    DEAL_REVIEW = "deal_review", _("Deal review")


class MeetingStatus(models.TextChoices):
    """Every meeting ends as held, moved (to another meeting) or missed."""

    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    MOVED = "moved", _("Moved")
    MISSED = "missed", _("Missed")


class MissedBy(models.TextChoices):
    REP = "rep", _("The rep")
    MANAGER = "manager", _("The manager")
    BOTH = "both", _("Both")


class Meeting(models.Model):
    """A 1:1 or a deal review between a manager and a rep, scheduled, then held, moved or missed."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind, default=MeetingKind.ONE_ON_ONE
    )
    manager = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    rep = models.ForeignKey(
        "people.Person", verbose_name=_("rep"), on_delete=models.CASCADE, related_name="meetings"
    )
    cadence = models.ForeignKey(
        Cadence,
        verbose_name=_("cadence"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    deal = models.ForeignKey(
        "crm.Deal",
        verbose_name=_("deal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    scheduled_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus, default=MeetingStatus.SCHEDULED
    )
    missed_by = models.CharField(_("missed by"), max_length=10, choices=MissedBy, blank=True)
    moved_from = models.OneToOneField(
        "self",
        verbose_name=_("moved from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moved_to",
    )
    # The agenda as it stood when the meeting was held: what was discussed stays as it was.
    agenda = models.JSONField(null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        "people.Person",
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(fields=["organisation", "manager", "scheduled_at"]),
            models.Index(fields=["organisation", "rep", "scheduled_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cadence", "scheduled_at"],
                condition=Q(cadence__isnull=False),
                name="meeting_once_per_cadence_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.manager} · {self.rep} {self.scheduled_at:%Y-%m-%d}"

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.rep_id:
            raise ValidationError({"rep": _("A meeting needs two people.")})
        if self.kind == MeetingKind.DEAL_REVIEW and not self.deal_id:
            raise ValidationError({"deal": _("A deal review is about one deal: choose it.")})
        if self.status == MeetingStatus.MISSED and not self.missed_by:
            raise ValidationError({"missed_by": _("Say who missed the meeting.")})


class NoteKind(models.TextChoices):
    """The coaching order: the rep reflects first, then the manager gives feedback."""

    REFLECTION = "reflection", _("Rep's reflection")
    FEEDBACK = "feedback", _("Manager's feedback")
    PRIVATE = "private", _("Private note")


class MeetingNote(models.Model):
    """A note on a meeting: a reflection answering one question, feedback, or a private note.

    A private note is visible to its author and the people the author reports to,
    never to the rep.
    """

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "people.Person", verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind)
    question = models.CharField(_("question"), max_length=300, blank=True)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting note")
        verbose_name_plural = _("meeting notes")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class AgendaItem(models.Model):
    """Something the rep or the manager added to a meeting's agenda."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    added_by = models.ForeignKey(
        "people.Person", verbose_name=_("added by"), on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("item"), max_length=500)
    done = models.BooleanField(_("discussed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class SteppedIn(models.Model):
    """A manager's record that they stepped in on a rep's deal (closed it for the rep)."""

    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE)
    manager = models.ForeignKey(
        "people.Person", verbose_name=_("manager"), on_delete=models.CASCADE, related_name="+"
    )
    rep = models.ForeignKey(
        "people.Person", verbose_name=_("rep"), on_delete=models.CASCADE, related_name="+"
    )
    deal = models.ForeignKey("crm.Deal", verbose_name=_("deal"), on_delete=models.CASCADE)
    on = models.DateField(_("on"))
    note = models.TextField(_("what happened"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stepped in")
        verbose_name_plural = _("stepped in")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["organisation", "manager", "on"])]

    def __str__(self) -> str:
        return f"{self.manager} → {self.deal}"
