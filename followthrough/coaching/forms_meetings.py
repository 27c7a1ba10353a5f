"""Forms of the 1:1 pages: cadence, moving and ending a meeting, notes, items, reviews, settings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.coaching.cadence import at
from followthrough.coaching.models import (
    Cadence,
    CoachingSettings,
    MeetingStatus,
    MissedBy,
    NoteKind,
)
from followthrough.coaching.questions import display_question, parse_questions, questions_text
from followthrough.lib.validators import validate_supported_day
from followthrough.people.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LENGTHS = [(15, "15"), (30, "30"), (45, "45"), (60, "60"), (90, "90")]


class CadenceForm(forms.ModelForm):
    """How often, on which weekday and at what time the pair meets."""

    duration_minutes = forms.TypedChoiceField(
        label=_("length (minutes)"), choices=LENGTHS, coerce=int, initial=30
    )

    class Meta:
        model = Cadence
        fields = ["frequency", "weekday", "time", "duration_minutes"]
        widgets = {"time": TIME}
        help_texts = {
            "frequency": _("Monthly: the first of that weekday in each month."),
            "time": _("In the organisation's time zone."),
        }


class WhenForm(forms.Form):
    """A day and a time in the organisation's time zone."""

    day = forms.DateField(label=_("Day"), widget=DATE, validators=[validate_supported_day])
    time = forms.TimeField(label=_("Time"), widget=TIME)
    duration_minutes = forms.TypedChoiceField(
        label=_("length (minutes)"), choices=LENGTHS, coerce=int, initial=30
    )

    def when(self, org: Organisation) -> dt.datetime:
        return at(org, self.cleaned_data["day"], self.cleaned_data["time"])


class EndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it end?"),
        choices=[(MeetingStatus.HELD, _("Held")), (MeetingStatus.MISSED, _("Missed"))],
        widget=forms.RadioSelect,
    )
    missed_by = forms.ChoiceField(
        label=_("Missed by"), choices=[("", "—"), *MissedBy.choices], required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == MeetingStatus.MISSED and not data.get("missed_by"):
            self.add_error("missed_by", _("Say who missed the meeting."))
        return data


class ReflectionForm(forms.Form):
    """The rep's answers, one field a question."""

    def __init__(self, *args, questions: list[str], answers: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=display_question(question),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=answers.get(question, ""),
                max_length=5000,
            )

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}

    def clean(self):
        data = super().clean()
        if not any((data.get(f"q{i}") or "").strip() for i in range(len(self.questions))):
            raise forms.ValidationError(_("Answer at least one question."))
        return data


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(NoteKind.FEEDBACK, _("Feedback")), (NoteKind.PRIVATE, _("Private note"))],
        widget=forms.HiddenInput,
    )
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class NoteEditForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Add to the agenda"), max_length=500)


class DealReviewForm(WhenForm):
    deal = forms.TypedChoiceField(label=_("Deal"), coerce=int, choices=[])

    field_order = ["deal", "day", "time", "duration_minutes"]

    def __init__(self, *args, deals, **kwargs):
        super().__init__(*args, **kwargs)
        self.deals = {d.pk: d for d in deals}
        self.fields["deal"].choices = [("", "—")] + [(d.pk, f"{d} · {d.owner}") for d in deals]

    def clean_deal(self):
        value = self.cleaned_data["deal"]
        if value not in self.deals:
            raise forms.ValidationError(_("Choose an open deal of a rep you coach."))
        return self.deals[value]


class SteppedInForm(forms.Form):
    deal = forms.TypedChoiceField(label=_("Deal"), coerce=int, choices=[])
    on = forms.DateField(label=_("On"), widget=DATE, validators=[validate_supported_day])
    note = forms.CharField(
        label=_("What happened"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    def __init__(self, *args, deals, **kwargs):
        super().__init__(*args, **kwargs)
        self.deals = {d.pk: d for d in deals}
        self.fields["deal"].choices = [(d.pk, str(d)) for d in deals]

    def clean_deal(self):
        value = self.cleaned_data["deal"]
        if value not in self.deals:
            raise forms.ValidationError(_("Choose a deal of a rep you coach."))
        return self.deals[value]


class CoachingSettingsForm(forms.ModelForm):
    questions_text = forms.CharField(
        label=_("Reflective questions"),
        help_text=_("One a line. The rep answers these first in every 1:1 and deal review."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )

    class Meta:
        model = CoachingSettings
        fields = ["deal_review_days", "stale_days"]

    field_order = ["questions_text", "deal_review_days", "stale_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions_text"].initial = questions_text(self.instance.questions or [])
        self.fields["deal_review_days"].validators.append(_at_most_a_year)
        self.fields["stale_days"].validators.append(_at_most_a_year)

    def clean_questions_text(self) -> list[str]:
        questions = parse_questions(self.cleaned_data["questions_text"])
        if not questions:
            raise forms.ValidationError(_("Ask at least one question."))
        if len(questions) > 10:
            raise forms.ValidationError(_("Ten questions at most: keep the 1:1 about the rep."))
        if any(len(q) > 300 for q in questions):
            raise forms.ValidationError(_("Keep each question under 300 characters."))
        return questions

    def save(self, commit: bool = True) -> CoachingSettings:
        self.instance.questions = self.cleaned_data["questions_text"]
        return super().save(commit)


def _at_most_a_year(value) -> None:
    if value is not None and (value < 1 or value > 366):
        raise forms.ValidationError(_("Between 1 and 366 days."))
