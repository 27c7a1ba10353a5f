"""The goal form and the organisation's goal settings form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.goals import rights
from followthrough.goals.catalog import metric_choices, metrics_of
from followthrough.goals.models import Goal, GoalSettings, PeriodKindChoice, RampChoice
from followthrough.goals.periodkeys import period_from
from followthrough.goals.ramp import SharesError, parse_shares
from followthrough.goals.units import TargetError, check_stored, check_typed, is_rate, typed
from followthrough.lib.validators import validate_supported_day
from followthrough.people.lines import today_for
from followthrough.people.models import Person


class SharesField(forms.CharField):
    """Monthly ramp shares typed as '25 50 75', '25, 50, 75' or '25 %; 50 %; 75 %'."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value) -> list[int]:
        try:
            return parse_shares(super().to_python(value))
        except SharesError as error:
            raise forms.ValidationError(error.message) from None


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
        help_text=_("Only for a ramp of its own, e.g. 25 50 75."),
    )

    class Meta:
        model = Goal
        fields = ["person", "team", "metric_key", "period_kind", "target", "ramp", "note"]

    def __init__(self, *args, viewer: Person, typed_targets: bool = True, **kwargs):
        """`typed_targets`: rates come in percent (the page); False: as fractions (the API)."""
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.typed_targets = typed_targets
        org = viewer.organisation
        self.instance.organisation = org
        self.metrics = metrics_of(org)
        self.fields["person"].queryset = rights.settable_people(viewer)
        self.fields["team"].queryset = rights.settable_teams(viewer)
        self.fields["person"].required = self.fields["team"].required = False
        if self.fields["team"].queryset.exists():
            self.fields["person"].help_text = _("A person or a team, not both.")
        else:
            # A manager's own team gets its goal from above: no empty list to choose from.
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["person"].help_text = _(
                "Goals for your own team are set by your leader or an admin."
            )
        rates = {key for key, metric in self.metrics.items() if is_rate(metric)}
        choices = [
            (key, _("%(metric)s (%%)") % {"metric": name} if key in rates else name)
            for key, name in metric_choices(org)
        ]
        self.fields["metric_key"] = forms.ChoiceField(
            label=_("Metric"), choices=[("", "---------"), *choices]
        )
        self.fields["target"].widget.attrs.update(step="any", min="0")
        self.fields["target"].help_text = _(
            "In the metric's unit: rates (%) in percent, e.g. 30 for 30 %; "
            "amounts in the organisation's currency; durations in days."
        )
        if self.instance.pk:
            metric = self.metrics.get(self.instance.metric_key)
            # The instance's fraction is in initial already: show the percentage typed.
            self.initial["target"] = typed(self.instance.target, metric)
            self.initial.setdefault("day", self.instance.start)
            if self.instance.period_kind == PeriodKindChoice.CUSTOM:
                self.initial.setdefault("until", self.instance.end)
            self.initial.setdefault("ramp_shares", self.instance.ramp_shares)
        else:
            self.initial.setdefault("day", today_for(org))
        order = ["person", "team", "metric_key", "period_kind", "day", "until", "target"]
        self.order_fields([*order, "ramp", "ramp_shares", "note"])

    def clean(self):
        data = super().clean()
        self._clean_target(data)
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

    def _clean_target(self, data: dict) -> None:
        target = data.get("target")
        if target is None:
            return
        metric = self.metrics.get(data.get("metric_key"))
        try:
            if self.typed_targets:
                data["target"] = check_typed(target, metric)
            else:
                data["target"] = check_stored(target, metric)
        except TargetError as error:
            self.add_error("target", error.message)

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
            "Share of the full target in month 1, 2, 3... of tenure, e.g. 25 50 75; "
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
