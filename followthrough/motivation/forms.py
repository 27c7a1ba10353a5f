"""The contest form and the quest form: every bad input is a field error, in words."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.goals.catalog import metric_choices, metrics_of
from followthrough.goals.units import TargetError, check_stored, check_typed, typed
from followthrough.lib.validators import validate_supported_day
from followthrough.motivation import rights
from followthrough.motivation.eligibility import eligible_people
from followthrough.motivation.figures import is_additive
from followthrough.motivation.models import (
    NEEDS_TARGET,
    NEEDS_TOP_N,
    Contest,
    ContestStatus,
    Format,
    Participation,
    Quest,
)
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role

# A race reads one figure per day: a year of days is plenty for any sales contest.
LONGEST_DAYS = 366
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def metric_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Metric"),
        error_messages={
            "invalid_choice": _("There is no metric %(value)s: choose one from the list.")
        },
    )


def clean_target(form, data: dict, metric, *, typed_targets: bool) -> None:
    target = data.get("target")
    if target is None:
        return
    try:
        data["target"] = (
            check_typed(target, metric) if typed_targets else check_stored(target, metric)
        )
    except TargetError as error:
        form.add_error("target", error.message)


def check_dates(form, data: dict) -> bool:
    start, end = data.get("start"), data.get("end")
    if start is None or end is None:
        return False
    if end < start:
        form.add_error("end", _("The end date is before the start date."))
        return False
    if (end - start).days >= LONGEST_DAYS:
        form.add_error("end", _("A contest or quest lasts at most a year."))
        return False
    return True


class ContestForm(forms.ModelForm):
    """A contest: what is measured, when, how winners are decided, who plays, what they win."""

    eligible_roles = forms.MultipleChoiceField(
        label=_("Roles that may play"),
        choices=[(Role.REP, Role.REP.label), (Role.MANAGER, Role.MANAGER.label)],
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.REP],
        error_messages={"required": _("Choose at least one role that plays.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (ContestStatus.DRAFT, _("Draft: only those who run it see it")),
            (ContestStatus.OPEN, _("Open: the players see it and its standings")),
        ],
        initial=ContestStatus.OPEN,
    )

    class Meta:
        model = Contest
        fields = [
            "name",
            "metric_key",
            "start",
            "end",
            "format",
            "target",
            "top_n",
            "participation",
            "eligible_team",
            "eligible_roles",
            "min_tenure_days",
            "prizes",
            "rules",
            "status",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "prizes": forms.Textarea(attrs={"rows": 2}),
            "rules": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, viewer: Person, typed_targets: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.typed_targets = typed_targets
        org = viewer.organisation
        self.instance.organisation = org
        self.metrics = metrics_of(org)
        self.fields["metric_key"] = metric_field()
        self.fields["metric_key"].choices = [("", "---------"), *metric_choices(org)]
        for name in ("start", "end"):
            self.fields[name].validators.append(validate_supported_day)
        self.fields["eligible_team"].queryset = rights.runnable_teams(viewer)
        if not rights.may_run_org_wide(viewer):
            self.fields["eligible_team"].required = True
            self.fields["eligible_team"].help_text = _("Its sub-teams play too.")
        self.fields["target"].widget.attrs.update(step="any", min="0")
        self.fields["target"].help_text = _(
            "For target, race and team quest: in the metric's unit (rates in percent)."
        )
        self.fields["top_n"].help_text = _("For ranking and most improved: how many places win.")
        self.fields["prizes"].help_text = _(
            "What winners get. Prizes need rules saying how they are won."
        )
        self.fields["rules"].help_text = _(
            "How winners are decided, what counts, what happens on a tie."
        )
        if self.instance.pk:
            metric = self.metrics.get(self.instance.metric_key)
            self.initial["target"] = typed(self.instance.target, metric)
        else:
            # A week-long contest from today unless changed: the common case.
            today = today_for(org)
            self.initial.setdefault("start", today)
            self.initial.setdefault("end", today + dt.timedelta(days=6))
            teams = list(self.fields["eligible_team"].queryset[:2])
            if len(teams) == 1:
                self.initial.setdefault("eligible_team", teams[0].pk)

    def clean(self):
        data = super().clean()
        metric = self.metrics.get(data.get("metric_key"))
        clean_target(self, data, metric, typed_targets=self.typed_targets)
        dates_ok = check_dates(self, data)
        fmt = data.get("format")
        if fmt in NEEDS_TARGET and data.get("target") is None and "target" not in self.errors:
            self.add_error("target", _("This format needs a target."))
        if fmt in NEEDS_TOP_N and not data.get("top_n"):
            self.add_error("top_n", _("Say how many places win (1 or more)."))
        if metric is not None and fmt in (Format.RACE, Format.TEAM_QUEST):
            if not is_additive(metric) or not metric.higher_is_better:
                self.add_error(
                    "metric_key",
                    _("Races and team quests need a count or a sum where more is better."),
                )
        if data.get("prizes", "").strip() and not data.get("rules", "").strip():
            self.add_error("rules", _("Prizes need rules: say how the winners are decided."))
        if dates_ok and data.get("eligible_roles") and not self.errors:
            self._check_field(data)
        return data

    def _check_field(self, data: dict) -> None:
        team = data.get("eligible_team")
        field = eligible_people(
            self.viewer.organisation,
            roles=data["eligible_roles"],
            team_id=team.pk if team else None,
            min_tenure_days=data.get("min_tenure_days") or 0,
            on=data["start"],
        )
        if not field.people:
            self.add_error(
                "eligible_roles",
                _(
                    "Nobody is eligible: no one in these roles and team, with this many days in role, on the first day."
                ),
            )
        elif data.get("participation") == Participation.TEAM and not field.team_names:
            self.add_error("participation", _("None of the eligible people is in a team."))

    def save(self, commit: bool = True) -> Contest:
        contest = super().save(commit=False)
        if contest.created_by_id is None:
            contest.created_by = self.viewer
        if contest.format not in NEEDS_TARGET:
            contest.target = None
        if contest.format not in NEEDS_TOP_N | {Format.RACE}:
            contest.top_n = None
        if commit:
            contest.save()
        return contest


class QuestForm(forms.ModelForm):
    """A quest a person proposes for themself: a metric, a target and a period."""

    class Meta:
        model = Quest
        fields = ["metric_key", "target", "start", "end", "note"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args, viewer: Person, typed_targets: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.typed_targets = typed_targets
        org = viewer.organisation
        self.instance.organisation = org
        self.instance.person = viewer
        self.metrics = metrics_of(org)
        self.fields["metric_key"] = metric_field()
        self.fields["metric_key"].choices = [("", "---------"), *metric_choices(org)]
        for name in ("start", "end"):
            self.fields[name].validators.append(validate_supported_day)
        self.fields["target"].widget.attrs.update(step="any", min="0")
        self.fields["target"].help_text = _(
            "In the metric's unit: rates in percent, e.g. 30 for 30 %."
        )
        self.initial.setdefault("start", today_for(org))

    def clean(self):
        data = super().clean()
        metric = self.metrics.get(data.get("metric_key"))
        clean_target(self, data, metric, typed_targets=self.typed_targets)
        check_dates(self, data)
        if data.get("target") == 0:
            self.add_error("target", _("A quest needs a target above 0."))
        return data
