"""The form that makes a wallboard link: which contest, or which team's leaderboard."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from followthrough.goals.catalog import metric_choices
from followthrough.motivation import rights as contest_rights
from followthrough.motivation.leaderboard import DEFAULT_TOP_N, MAX_TOP_N
from followthrough.motivation.models import ContestStatus
from followthrough.people.models import Person
from followthrough.wallboard import rights
from followthrough.wallboard.models import Shows, WallboardLink

WHOLE_ORG = "all"


class LinkForm(forms.ModelForm):
    contest = forms.TypedChoiceField(label=capfirst(_("contest")), required=False, coerce=int)
    team = forms.ChoiceField(label=capfirst(_("team")), required=False)
    metric_key = forms.ChoiceField(label=capfirst(_("metric")), required=False)
    top_n = forms.IntegerField(
        label=capfirst(_("places shown")), min_value=1, max_value=MAX_TOP_N, initial=DEFAULT_TOP_N
    )

    class Meta:
        model = WallboardLink
        fields = ["name", "shows", "contest", "team", "metric_key", "period", "rank_by", "top_n"]

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        contests = [
            c
            for c in contest_rights.visible_contests(viewer)
            if c.status != ContestStatus.DRAFT and rights.may_share_contest(viewer, c)
        ]
        self.contests = {c.pk: c for c in contests}
        self.fields["contest"].choices = [("", "—")] + [(c.pk, c.name) for c in contests]
        teams = contest_rights.runnable_teams(viewer).order_by("name")
        self.teams = {t.pk: t for t in teams}
        team_choices = [(str(t.pk), t.name) for t in teams]
        if rights.may_share_team(viewer, None):
            team_choices.insert(0, (WHOLE_ORG, _("The whole organisation")))
        self.fields["team"].choices = team_choices
        self.fields["metric_key"].choices = metric_choices(viewer.organisation)
        self.fields["metric_key"].initial = "deals_won"

    def clean_contest(self):
        value = self.cleaned_data.get("contest")
        if value in (None, ""):
            return None
        contest = self.contests.get(value)
        if contest is None:
            raise forms.ValidationError(_("Choose a running or finished contest you run."))
        return contest

    def clean_team(self):
        value = self.cleaned_data.get("team")
        if value in (None, "", WHOLE_ORG):
            return None
        try:
            team = self.teams.get(int(value))
        except ValueError:
            team = None
        if team is None:
            raise forms.ValidationError(_("Choose a team you manage."))
        return team

    def clean(self):
        data = super().clean()
        shows = data.get("shows")
        if shows == Shows.CONTEST:
            if not data.get("contest") and "contest" not in self.errors:
                self.add_error("contest", _("Choose the contest this link shows."))
            data["team"] = None
            data["metric_key"] = ""
        elif shows == Shows.LEADERBOARD:
            data["contest"] = None
            if not data.get("metric_key") and "metric_key" not in self.errors:
                self.add_error("metric_key", _("Choose the metric this link shows."))
            team = data.get("team")
            if "team" not in self.errors and not rights.may_share_team(
                self.viewer, team.pk if team else None
            ):
                self.add_error("team", _("Choose a team you manage."))
        return data

    def link_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.Meta.fields}
