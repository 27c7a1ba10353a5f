"""Forms of assessments, ratings, focus areas and the team's assessment settings."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.assessments.checklist import MANAGER_KINDS
from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentSettings,
    FocusStatus,
)
from followthrough.assessments.texts import shown
from followthrough.crm.choices import ActivityType, Outcome
from followthrough.crm.models import Activity, Deal
from followthrough.goals.catalog import metric_choices
from followthrough.lib.periods import Period
from followthrough.lib.validators import validate_supported_day
from followthrough.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# An observation links one of the rep's recent deals (open, or closed in this many days)...
RECENT_DAYS = 90
# ...or one of their calls, meetings or demos of this many days.
RECENT_ACTIVITY_DAYS = 30
OBSERVED_TYPES = (ActivityType.CALL, ActivityType.MEETING, ActivityType.DEMO)


def with_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a logic ValidationError on the form's fields (unknown fields: on the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ActivityChoice(forms.ModelChoiceField):
    def label_from_instance(self, activity):
        return (
            f"{activity.occurred_on:%Y-%m-%d} · {activity.get_type_display()} · {activity.subject}"
        )


class NewAssessmentForm(forms.Form):
    """A manager assessment, an observation or a self-assessment asked of a rep."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            *[(k.value, k.label) for k in MANAGER_KINDS],
            (AssessmentKind.SELF.value, _("Ask for a self-assessment")),
        ],
        widget=forms.RadioSelect,
    )
    cycle = forms.ChoiceField(label=_("Cycle"))
    ask_self_first = forms.BooleanField(
        label=_("Ask the rep for their self-assessment first"),
        required=False,
        initial=True,
        help_text=_("The rep sees your assessment once their own is submitted."),
    )
    observed_on = forms.DateField(
        label=_("Observed on"),
        required=False,
        widget=DATE,
        validators=[validate_supported_day],
    )
    deal = forms.ModelChoiceField(label=_("Deal"), queryset=Deal.objects.none(), required=False)
    activity = ActivityChoice(label=_("Activity"), queryset=Activity.objects.none(), required=False)

    def __init__(self, *args, rep: Person, cycles: list[Period], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycles = {c.start.isoformat(): c for c in cycles}
        self.fields["cycle"].choices = [
            (key, f"{c.start:%Y-%m-%d} – {c.end:%Y-%m-%d}") for key, c in self.cycles.items()
        ]
        since = today - dt.timedelta(days=RECENT_DAYS)
        self.fields["deal"].queryset = (
            Deal.objects.filter(organisation_id=rep.organisation_id, owner=rep)
            .filter(Q(outcome=Outcome.OPEN) | Q(close_on__gte=since))
            .order_by("-close_on", "-pk")
        )
        self.fields["activity"].queryset = Activity.objects.filter(
            organisation_id=rep.organisation_id,
            owner=rep,
            occurred_on__gte=today - dt.timedelta(days=RECENT_ACTIVITY_DAYS),
            type__in=OBSERVED_TYPES,
        ).order_by("-occurred_at", "-pk")
        self.fields["observed_on"].initial = today

    def clean_cycle(self) -> Period:
        return self.cycles[self.cleaned_data["cycle"]]

    def details(self) -> dict:
        data = self.cleaned_data
        if data["kind"] != AssessmentKind.OBSERVATION:
            return {}
        return {
            "observed_on": data.get("observed_on"),
            "deal": data.get("deal"),
            "activity": data.get("activity"),
        }


class PeerRequestForm(forms.Form):
    peers = forms.ModelMultipleChoiceField(
        label=_("Peers"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each peer writes their own review of the rep."),
    )
    cycle = forms.ChoiceField(label=_("Cycle"))

    def __init__(self, *args, candidates, cycles: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peers"].queryset = candidates
        self.cycles = {c.start.isoformat(): c for c in cycles}
        self.fields["cycle"].choices = [
            (key, f"{c.start:%Y-%m-%d} – {c.end:%Y-%m-%d}") for key, c in self.cycles.items()
        ]

    def clean_cycle(self) -> Period:
        return self.cycles[self.cleaned_data["cycle"]]


class RatingForm(forms.Form):
    """A level and the evidence for every competency of the assessment's template version."""

    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shared with the rep."),
    )
    private_note = forms.CharField(
        label=_("Private note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For you and your managers; never the rep."),
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        ratings = {r.competency_id: r for r in assessment.ratings.all()}
        initial = {"summary": assessment.summary, "private_note": assessment.private_note}
        for c in assessment.template.competencies:
            found = ratings.get(c["id"])
            initial[f"level_{c['id']}"] = found.level if found else ""
            initial[f"evidence_{c['id']}"] = found.evidence if found else ""
        super().__init__(*args, initial=initial, **kwargs)
        self.assessment = assessment
        if assessment.kind in (AssessmentKind.SELF, AssessmentKind.PEER):
            del self.fields["private_note"]
        levels = [(lv["key"], shown(lv["label"])) for lv in assessment.template.levels]
        for c in assessment.template.competencies:
            self.fields[f"level_{c['id']}"] = forms.ChoiceField(
                label=shown(c["name"]), choices=levels, required=False, widget=forms.RadioSelect
            )
            self.fields[f"evidence_{c['id']}"] = forms.CharField(
                label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def groups(self) -> list[dict]:
        """The competencies by sales step, each with its levels' behaviours and its fields."""
        sections: list[dict] = []
        levels = self.assessment.template.levels
        for c in self.assessment.template.competencies:
            if not sections or sections[-1]["name"] != c["section"]:
                sections.append({"name": shown(c["section"]), "raw": c["section"], "rows": []})
            level = self[f"level_{c['id']}"]
            chosen = str(level.value() or "")
            sections[-1]["rows"].append(
                {
                    "id": c["id"],
                    "name": shown(c["name"]),
                    "level": level,
                    "evidence": self[f"evidence_{c['id']}"],
                    "levels": [
                        {
                            "key": lv["key"],
                            "label": shown(lv["label"]),
                            "behaviour": shown(c.get("behaviours", {}).get(lv["key"], "")),
                            "checked": chosen == lv["key"],
                        }
                        for lv in levels
                    ],
                }
            )
        return sections

    def chosen(self) -> list[tuple[int, str, str]]:
        """(competency id, level, evidence) of every competency given a level."""
        return [
            (
                c["id"],
                self.cleaned_data[f"level_{c['id']}"],
                self.cleaned_data[f"evidence_{c['id']}"].strip(),
            )
            for c in self.assessment.template.competencies
            if self.cleaned_data.get(f"level_{c['id']}")
        ]

    def mark_unrated(self) -> None:
        for c in self.assessment.template.competencies:
            if not self.cleaned_data.get(f"level_{c['id']}"):
                self.add_error(f"level_{c['id']}", _("Choose a level."))


class CorrectForm(forms.Form):
    correction_reason = forms.CharField(
        label=_("Why does it need correcting?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the new version, in the audit history."),
    )


class FocusForm(forms.Form):
    competency = forms.TypedChoiceField(label=_("Competency"), coerce=int)
    metric_key = forms.ChoiceField(
        label=_("Metric that should move"),
        required=False,
        help_text=_("The competency's own metric unless you choose another."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].choices = [
            ("", "---------"),
            *[
                (c["id"], f"{shown(c['section'])} · {shown(c['name'])}")
                for c in assessment.template.competencies
            ],
        ]
        self.fields["metric_key"].choices = [
            ("", _("The competency's own metric")),
            *metric_choices(assessment.organisation),
        ]


class FocusCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Close as"),
        choices=[(s.value, s.label) for s in (FocusStatus.ACHIEVED, FocusStatus.DROPPED)],
    )


class AssessmentSettingsForm(forms.ModelForm):
    class Meta:
        model = AssessmentSettings
        fields = ["focus_limit", "anonymous_peer_reviews", "review_months"]

    def clean_focus_limit(self) -> int:
        value = self.cleaned_data["focus_limit"]
        if not 1 <= value <= 10:
            raise ValidationError(_("Between 1 and 10 focus areas at a time."))
        return value

    def clean_review_months(self) -> int:
        value = self.cleaned_data["review_months"]
        if not 1 <= value <= 12:
            raise ValidationError(_("Between 1 and 12 months."))
        return value
