"""Forms of coaching plans and reviews: field-level errors from the logic's refusals."""

from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from followthrough.assessments.models import Assessment, FocusArea
from followthrough.assessments.texts import shown
from followthrough.coaching.forms_commitments import DATE, with_errors
from followthrough.lib.validators import validate_supported_day

__all__ = ["PlanForm", "PlanEditForm", "CloseForm", "CommitmentLineForm", "with_errors"]

COMMITMENT_LINES = 3


class BaselineChoice(forms.ModelChoiceField):
    def label_from_instance(self, assessment: Assessment) -> str:
        day = assessment.observed_on or (
            assessment.submitted_at.date() if assessment.submitted_at else assessment.cycle_start
        )
        return f"{assessment.get_kind_display()} · {assessment.rater.name} · {date_format(day)}"


class FocusChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, focus: FocusArea) -> str:
        return shown(focus.competency.name)


class PlanEditForm(forms.Form):
    goal = forms.CharField(
        label=_("What should change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In a sentence the rep would recognise."),
    )
    start = forms.DateField(label=_("From"), widget=DATE, validators=[validate_supported_day])
    reevaluate_on = forms.DateField(
        label=_("Re-evaluation on"),
        widget=DATE,
        validators=[validate_supported_day],
        help_text=_("Three to six months after the start."),
    )


class PlanForm(PlanEditForm):
    """A new plan: the baseline, its focus areas and the commitments made for it."""

    baseline = BaselineChoice(label=_("Assessment before"), queryset=Assessment.objects.none())
    focus_areas = FocusChoice(
        label=_("The rep's open focus areas"),
        queryset=FocusArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competencies = forms.TypedMultipleChoiceField(
        label=_("New focus areas from the assessment"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, baselines, focus, competencies, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["baseline"].queryset = baselines
        self.fields["focus_areas"].queryset = focus
        self.fields["competencies"].choices = competencies
        self.fields["competencies"].help_text = _(
            "Your team works on at most %(limit)d focus areas at a time."
        ) % {"limit": limit}
        for index in range(1, COMMITMENT_LINES + 1):
            self.fields[f"commitment_{index}"] = forms.CharField(
                label=_("Commitment %(n)d") % {"n": index}, max_length=500, required=False
            )
            self.fields[f"due_{index}"] = forms.DateField(
                label=_("Due"), widget=DATE, required=False, validators=[validate_supported_day]
            )
        self.order_fields(["baseline", "goal", "start", "reevaluate_on"])

    def commitment_lines(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        lines = []
        for index in range(1, COMMITMENT_LINES + 1):
            text = (data.get(f"commitment_{index}") or "").strip()
            if text:
                lines.append((text, data.get(f"due_{index}"), index))
            elif data.get(f"due_{index}"):
                self.add_error(f"commitment_{index}", _("Say what the rep commits to."))
        return lines

    def field_pairs(self):
        """The commitment lines as (text field, due field), for the template."""
        return [(self[f"commitment_{i}"], self[f"due_{i}"]) for i in range(1, COMMITMENT_LINES + 1)]

    @property
    def main_fields(self):
        names = ("baseline", "goal", "start", "reevaluate_on", "focus_areas", "competencies")
        return [self[name] for name in names]


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What changed, what did not, and what comes next."),
    )


class CommitmentLineForm(forms.Form):
    text = forms.CharField(label=_("Commitment"), max_length=500)
    due_on = forms.DateField(
        label=_("Due"),
        widget=DATE,
        validators=[validate_supported_day],
        error_messages={
            "required": _("Give a due date: a commitment without one is not accountable.")
        },
    )


class ReviewOpenForm(forms.Form):
    rep = forms.TypedChoiceField(label=_("Rep"), coerce=int)
    period_start = forms.DateField(
        label=_("Period from"),
        widget=DATE,
        validators=[validate_supported_day],
        help_text=_("The period runs for your team's review rhythm (three months by default)."),
    )

    def __init__(self, *args, reps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rep"].choices = reps


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Your summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well, what to work on next. The rep reads it once shared."),
    )


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: how you see the period, in your words."),
    )
