"""Forms of programs, milestones, enrolments and sign-offs: field-level errors from the logic."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.assessments.models import ScorecardTemplate
from followthrough.assessments.texts import shown
from followthrough.lib.validators import validate_supported_day
from followthrough.people.lines import reports_of
from followthrough.people.models import Person, Role
from followthrough.programs.enrolments import LATEST_DUE_DAY, metric_milestone_choices
from followthrough.programs.models import Milestone, Program

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateChoice(forms.ModelChoiceField):
    def label_from_instance(self, template):
        return f"{template.name} v{template.version}"


class MilestoneForm(forms.ModelForm):
    due_day = forms.IntegerField(
        label=_("Due on day"),
        min_value=0,
        max_value=LATEST_DUE_DAY,
        help_text=_("Days after the start date: 30, 60, 90..."),
        error_messages={
            "min_value": _("A milestone cannot be due before the start: give 0 days or more.")
        },
    )
    metric_key = forms.ChoiceField(label=_("Metric"), required=False)

    class Meta:
        model = Milestone
        fields = [
            "name",
            "definition_of_done",
            "kind",
            "due_day",
            "metric_key",
            "target",
            "template",
        ]
        widgets = {"definition_of_done": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "target": _(
                "For a metric milestone: the value, counted from the start, that completes it."
            ),
        }

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [("", "---------"), *metric_milestone_choices(org)]
        self.fields["template"] = TemplateChoice(
            label=_("Certified against"),
            queryset=ScorecardTemplate.objects.filter(organisation=org, is_current=True).order_by(
                "name"
            ),
            required=False,
            help_text=_(
                "For a certification: the scorecard template whose competencies are rated."
            ),
        )
        self.fields["definition_of_done"].required = True
        if self.instance.pk and self.instance.template_id and not self.instance.template.is_current:
            # An older version stays selectable for the milestone that already uses it.
            self.fields["template"].queryset = (
                ScorecardTemplate.objects.filter(organisation=org).filter(
                    pk=self.instance.template_id
                )
                | self.fields["template"].queryset
            )


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    start = forms.DateField(
        label=_("Start date"),
        widget=DATE,
        validators=[validate_supported_day],
        help_text=_("Usually their first day in the role; milestones are due counted from it."),
    )

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(organisation_id=viewer.organisation_id, is_active=True)
        if viewer.role != Role.ADMIN:
            people = people.filter(pk__in=reports_of(viewer))
        self.fields["person"].queryset = people.exclude(pk=viewer.pk).order_by("name")


class TrainingForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows it is done: a certificate, a recording, who saw it."),
        error_messages={"required": _("Say what shows it is done.")},
    )
    done_on = forms.DateField(label=_("Done on"), widget=DATE, validators=[validate_supported_day])


class CertificationForm(forms.Form):
    """One level and evidence per competency of the milestone's template, and a summary."""

    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, template: ScorecardTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        levels = [(level["key"], shown(level["label"])) for level in template.levels]
        self.rows = []
        for competency in template.competencies:
            level_name, evidence_name = f"level_{competency['id']}", f"evidence_{competency['id']}"
            self.fields[level_name] = forms.ChoiceField(
                label=shown(competency["name"]),
                choices=levels,
                widget=forms.RadioSelect,
                error_messages={"required": _("Rate this competency.")},
            )
            self.fields[evidence_name] = forms.CharField(
                label=_("Evidence"), required=False, max_length=2000
            )
            self.rows.append(
                {
                    "section": shown(competency["section"]),
                    "level": self[level_name],
                    "evidence": self[evidence_name],
                }
            )

    def ratings(self) -> dict[int, tuple[str, str]]:
        return {
            c["id"]: (
                self.cleaned_data[f"level_{c['id']}"],
                self.cleaned_data[f"evidence_{c['id']}"],
            )
            for c in self.template.competencies
        }
