"""Forms of agreements and the ladder: field-level refusals, the same rules as the API."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from followthrough.coaching import agreements, ladder
from followthrough.coaching.models import Agreement, Frequency, Interval, LadderStep, Step
from followthrough.lib.ids import parse_id
from followthrough.lib.validators import validate_supported_day
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Team


def _date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_supported_day],
    )


class AgreementForm(forms.Form):
    """A new version of a team's or a rep's agreement."""

    team = forms.IntegerField(label=_("Team"), required=False)
    rep = forms.IntegerField(label=_("Rep"), required=False)
    expectations = forms.CharField(
        label=_("What accountability means here"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "For example: raise a shortfall yourself; bring your own plan before asking for help."
        ),
    )
    self_report_interval = forms.ChoiceField(label=_("Self-reports"), choices=Interval.choices)
    cadence = forms.ChoiceField(label=_("1:1s"), choices=Frequency.choices)
    missed_goals = forms.CharField(
        label=_("When goals are missed"), widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        teams = agreements.settable_teams(viewer).order_by("name")
        self.fields["team"].widget = forms.Select(
            choices=[("", "---------"), *teams.values_list("pk", "name")]
        )
        people = agreements.coachable_people(viewer).values_list("pk", "name")
        self.fields["rep"].widget = forms.Select(choices=[("", "---------"), *people])
        self.fields["rep"].help_text = _(
            "A team or one rep, not both. A rep's own agreement replaces the team's for them."
        )

    def clean(self):
        data = super().clean()
        team_id, rep_id = data.get("team"), data.get("rep")
        org = self.viewer.organisation
        if team_id and rep_id:
            self.add_error("rep", _("Choose a team or a rep, not both."))
            return data
        if not team_id and not rep_id:
            if "team" not in self.errors and "rep" not in self.errors:
                self.add_error("team", _("Choose a team or a rep."))
            return data
        if team_id:
            team = Team.objects.filter(organisation=org, pk=parse_id(str(team_id)) or 0).first()
            if team is None:
                self.add_error("team", _("No such team."))
            elif not agreements.can_set_team_agreement(self.viewer, team):
                self.add_error("team", _("You may not set this team's agreement."))
            data["team"] = team
        if rep_id:
            rep = Person.objects.filter(organisation=org, pk=parse_id(str(rep_id)) or 0).first()
            if rep is None:
                self.add_error("rep", _("No such person."))
            elif rep.pk == self.viewer.pk:
                self.add_error("rep", _("Nobody sets their own agreement."))
            elif not agreements.can_set_rep_agreement(self.viewer, rep):
                self.add_error("rep", _("This person does not report to you."))
            data["rep"] = rep
        return data

    def save(self) -> Agreement:
        data = self.cleaned_data
        return agreements.create_version(
            author=self.viewer,
            team=data.get("team") or None,
            rep=data.get("rep") or None,
            expectations=data["expectations"],
            self_report_interval=data["self_report_interval"],
            cadence=data["cadence"],
            missed_goals=data["missed_goals"],
        )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A rule's refusal onto the form: on its field when the form has one."""
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


class LadderOpenForm(forms.Form):
    """Open a ladder step for a rep: the first, or the next after a reviewed one."""

    rep = forms.IntegerField(label=_("Rep"))
    step = forms.TypedChoiceField(label=_("Step"), choices=Step.choices, coerce=int)
    started_on = _date_field(_("Starts"))
    review_on = _date_field(_("Review by"))
    plan = forms.CharField(
        label=_("Written plan"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the rep will do, with dates; written together with the rep."),
    )
    exit_criteria = forms.CharField(
        label=_("Criteria to leave the ladder"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What, measured how, ends the ladder: outcomes, not raw call counts."),
    )

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        people = agreements.coachable_people(viewer).values_list("pk", "name")
        self.fields["rep"].widget = forms.Select(choices=[("", "---------"), *people])
        today = today_for(viewer.organisation)
        self.initial.setdefault("started_on", today)

    def clean(self):
        data = super().clean()
        rep_id = data.get("rep")
        if rep_id is None:
            return data
        rep = Person.objects.filter(
            organisation_id=self.viewer.organisation_id, pk=parse_id(str(rep_id)) or 0
        ).first()
        if rep is None:
            self.add_error("rep", _("No such person."))
            return data
        data["rep"] = rep
        try:
            ladder.check_opener(self.viewer, rep)
            started, review = data.get("started_on"), data.get("review_on")
            if started and review and review < started:
                self.add_error("review_on", _("The review date is before the start date."))
            if data.get("step") and started:
                ladder.check_next_step(rep, data["step"], started)
        except ValidationError as error:
            add_errors(self, error)
        return data

    def save(self) -> LadderStep:
        data = self.cleaned_data
        return ladder.open_step(
            by=self.viewer,
            rep=data["rep"],
            step=data["step"],
            started_on=data["started_on"],
            review_on=data["review_on"],
            plan=data["plan"],
            exit_criteria=data["exit_criteria"],
        )


class Decision:
    STAY = "stay"
    MOVE_UP = "move_up"
    LEAVE = "leave"
    CLOSE = "close"


class LadderReviewForm(forms.Form):
    """The review of an open step, and what comes of it."""

    reviewed_on = _date_field(_("Reviewed on"))
    review = forms.CharField(
        label=_("Review"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened against the plan and the criteria, in the rep's words too."),
    )
    decision = forms.ChoiceField(
        label=_("What comes next"),
        widget=forms.RadioSelect,
        choices=[
            (Decision.STAY, _("Stay on this step")),
            (Decision.LEAVE, _("Leave the ladder: the criteria are met")),
            (Decision.MOVE_UP, _("Move to the next step")),
            (Decision.CLOSE, _("Close this step")),
        ],
        initial=Decision.STAY,
    )
    next_review_on = _date_field(
        _("Next review by"),
        required=False,
        help_text=_("When staying on this step: the date of the next review."),
    )

    def __init__(self, *args, viewer: Person, step: LadderStep, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer, self.step = viewer, step
        if step.step == Step.EXIT:
            self.fields["decision"].choices = [
                c for c in self.fields["decision"].choices if c[0] != Decision.MOVE_UP
            ]
        self.initial.setdefault("reviewed_on", min(today_for(viewer.organisation), step.review_on))
        self.initial.setdefault("review", step.review)

    def clean(self):
        data = super().clean()
        day, text = data.get("reviewed_on"), data.get("review")
        if data.get("decision") != Decision.STAY:
            data["next_review_on"] = None
        if day is None or text is None:
            return data
        try:
            ladder.check_review(
                self.step,
                by=self.viewer,
                reviewed_on=day,
                review=text,
                next_review_on=data.get("next_review_on"),
            )
        except ValidationError as error:
            add_errors(self, error)
        return data

    def save(self) -> LadderStep:
        data = self.cleaned_data
        step = ladder.record_review(
            self.step,
            by=self.viewer,
            reviewed_on=data["reviewed_on"],
            review=data["review"],
            next_review_on=data.get("next_review_on"),
        )
        if data["decision"] == Decision.LEAVE:
            ladder.leave_ladder(step, by=self.viewer, ended_on=data["reviewed_on"])
        elif data["decision"] == Decision.CLOSE:
            ladder.end_step(step, by=self.viewer, outcome="closed", ended_on=data["reviewed_on"])
        return step
