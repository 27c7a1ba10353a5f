"""The goal form and the organisation's goal settings form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.goals import rights
from followthrough.goals.catalog import metric_choices
from followthrough.goals.models import Goal, GoalSettings, PeriodKindChoice, RampChoice
from followthrough.goals.periodkeys import period_from
from followthrough.goals.ramp import parse_shares
from followthrough.lib.validators import validate_supported_day
from followthrough.people.lines import today_for
from followthrough.people.models import Person


class SharesField(forms.CharField):
    """Monthly ramp shares typed as '25, 50, 75'."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[int]:
        text = super().to_python(value)
        try:
            shares = parse_shares(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("%(value)s is not a percentage from 0 to 100."),
                params={"value": error.args[0]},
            ) from None
        if len(shares) > 24:
            raise forms.ValidationError(_("A ramp can last at most 24 months."))
        return shares


class GoalForm(forms.ModelForm):
    """A goal for a person or a team; the period is a kind and a day in it."""

    day = forms.DateField(
        label=_("Period containing"),
        help_text=_("Any day in the period; for a custom range, its first day."),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )
    until = forms.DateField(
        label=_("Custom range until"),
        required=False,
        help_text=_("Only for a custom range (inclusive)."),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )
    ramp_shares = SharesField(
        label=_("Own ramp (percent per month)"),
        required=False,
        help_text=_("Only for a ramp of its own, e.g. 25, 50, 75."),
    )

    class Meta:
        model = Goal
        fields = ["person", "team", "metric_key", "period_kind", "target", "ramp", "note"]

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        org = viewer.organisation
        self.instance.organisation = org
        self.fields["person"].queryset = rights.settable_people(viewer)
        self.fields["team"].queryset = rights.settable_teams(viewer)
        self.fields["person"].required = self.fields["team"].required = False
        self.fields["person"].help_text = _("A person or a team, not both.")
        self.fields["metric_key"] = forms.ChoiceField(
            label=_("Metric"), choices=[("", "---------"), *metric_choices(org)]
        )
        self.fields["target"].widget.attrs.update(step="any", min="0")
        self.fields["target"].help_text = _(
            "In the metric's own unit; rates as fractions, e.g. 0.3 for 30 %."
        )
        if self.instance.pk:
            self.initial.setdefault("day", self.instance.start)
            if self.instance.period_kind == PeriodKindChoice.CUSTOM:
                self.initial.setdefault("until", self.instance.end)
            self.initial.setdefault("ramp_shares", self.instance.ramp_shares)
        else:
            self.initial.setdefault("day", today_for(org))
        order = ["person", "team", "metric_key", "period_kind", "day", "until", "target"]
        self.order_fields([*order, "ramp", "ramp_shares", "note"])

    def clean_target(self):
        target = self.cleaned_data["target"]
        if target is not None and target < 0:
            raise forms.ValidationError(_("A target cannot be negative."))
        return target

    def clean(self):
        data = super().clean()
        person, team = data.get("person"), data.get("team")
        if person and team:
            self.add_error("team", _("Choose a person or a team, not both."))
        elif not person and not team and "person" not in self.errors:
            self.add_error("person", _("Choose a person or a team."))
        kind, day, until = data.get("period_kind"), data.get("day"), data.get("until")
        has_period = False
        if kind and day:
            if kind == PeriodKindChoice.CUSTOM and until is None:
                self.add_error("until", _("A custom range needs an end date."))
            elif kind == PeriodKindChoice.CUSTOM and until < day:
                self.add_error("until", _("The end date is before the start date."))
            else:
                fiscal = self.viewer.organisation.fiscal_year_start_month
                period = period_from(kind, day, until, fiscal)
                self.instance.start, self.instance.end = period.start, period.end
                has_period = True
        if data.get("ramp") == RampChoice.CUSTOM and not data.get("ramp_shares"):
            self.add_error("ramp_shares", _("Give the ramp's share for each month."))
        self.instance.ramp_shares = data.get("ramp_shares") or []
        if has_period and not self.errors:
            self._check_unique(person, team, data.get("metric_key"))
        return data

    def _check_unique(self, person, team, key) -> None:
        clash = Goal.objects.filter(
            organisation=self.viewer.organisation,
            metric_key=key,
            start=self.instance.start,
            end=self.instance.end,
        ).exclude(pk=self.instance.pk)
        clash = clash.filter(person=person) if person else clash.filter(team=team)
        if clash.exists():
            self.add_error(
                "metric_key", _("There is already a goal on this metric for this period.")
            )


class GoalSettingsForm(forms.ModelForm):
    ramp_shares = SharesField(
        label=_("Ramp for new hires (percent per month)"),
        required=False,
        help_text=_(
            "Share of the full target in month 1, 2, 3... of tenure, e.g. 25, 50, 75; "
            "then 100 %. Empty: no ramp."
        ),
    )

    scorecard_metrics = forms.MultipleChoiceField(
        label=_("Metrics on every scorecard"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Scorecards also show every metric a person has a goal on."),
    )

    class Meta:
        model = GoalSettings
        fields = ["ramp_shares", "scorecard_metrics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scorecard_metrics"].choices = metric_choices(self.instance.organisation)
