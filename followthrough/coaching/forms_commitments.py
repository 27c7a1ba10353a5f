"""Forms of commitments, self-reports and "I'm stuck": field-level errors from the logic."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from followthrough.coaching import commitments as logic
from followthrough.coaching import rights
from followthrough.coaching.models import Commitment, CommitmentStatus, SelfReport
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.goals.catalog import metric_choices
from followthrough.goals.models import Goal
from followthrough.lib.validators import validate_supported_day
from followthrough.people.lines import reports_of
from followthrough.people.models import Person

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DealChoice(forms.ModelChoiceField):
    def label_from_instance(self, deal):
        return f"{deal} · {deal.owner.name}" if deal.owner_id else str(deal)


class GoalChoice(forms.ModelChoiceField):
    def __init__(self, *args, metrics=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.metrics = dict(metrics or {})

    def label_from_instance(self, goal):
        metric = self.metrics.get(goal.metric_key, goal.metric_key)
        return f"{goal.person.name if goal.person_id else goal.team}: {metric} · {goal.start:%Y-%m-%d} – {goal.end:%Y-%m-%d}"


def owners_for(viewer: Person):
    """The viewer, and the people whose commitments they may set (their reports)."""
    ids = {viewer.pk}
    if viewer.role in rights.MANAGING_ROLES:
        ids |= reports_of(viewer)
    people = Person.objects.filter(organisation_id=viewer.organisation_id, pk__in=ids)
    return people.filter(is_active=True).order_by("name")


def with_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a logic ValidationError on the form's fields (unknown fields: on the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class SubjectFields(forms.Form):
    """The optional link of a commitment or a problem: a metric, a goal or a deal."""

    def add_subject_fields(self, viewer: Person, person_ids: list[int], *, metric: bool = True):
        org = viewer.organisation
        choices = metric_choices(org)
        if metric:
            self.fields["metric_key"] = forms.ChoiceField(
                label=_("Metric it should move"),
                choices=[("", "---------"), *choices],
                required=False,
            )
        self.fields["goal"] = GoalChoice(
            label=_("Goal"),
            queryset=Goal.objects.filter(organisation=org, person_id__in=person_ids)
            .select_related("person")
            .order_by("-start", "metric_key"),
            required=False,
            metrics=choices,
        )
        self.fields["deal"] = DealChoice(
            label=_("Deal"),
            queryset=Deal.objects.filter(
                organisation=org, owner_id__in=person_ids, outcome=Outcome.OPEN
            )
            .select_related("owner")
            .order_by("name"),
            required=False,
        )


class CommitmentForm(SubjectFields):
    owner = forms.ModelChoiceField(label=_("Whose commitment"), queryset=Person.objects.none())
    text = forms.CharField(
        label=_("Commitment"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(
        label=_("Due"),
        widget=DATE,
        validators=[validate_supported_day],
        help_text=_("Required: a commitment without a date is not accountable."),
        error_messages={
            "required": _("Give a due date: a commitment without one is not accountable.")
        },
    )

    def __init__(
        self, *args, viewer: Person, meeting=None, instance: Commitment | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.viewer, self.meeting, self.instance = viewer, meeting, instance
        owners = owners_for(viewer)
        self.fields["owner"].queryset = owners
        ids = list(owners.values_list("pk", flat=True))
        self.add_subject_fields(viewer, ids)
        if instance is not None:
            del self.fields["owner"]
            self.initial.update(
                text=instance.text,
                due_on=instance.due_on,
                metric_key=instance.metric_key,
                goal=instance.goal_id,
                deal=instance.deal_id,
            )
        else:
            self.initial.setdefault("owner", viewer.pk)

    def clean(self):
        data = super().clean()
        owner = data.get("owner") or (self.instance.owner if self.instance else None)
        for name in ("goal", "deal"):
            value = data.get(name)
            if value is not None and owner is not None:
                value_owner = value.person_id if name == "goal" else value.owner_id
                if value_owner != owner.pk:
                    self.add_error(name, _("Choose one of the owner's own."))
        if self.instance is not None and data.get("due_on"):
            try:
                logic.check_dates(data["due_on"], self.instance.created_on)
            except ValidationError as error:
                with_errors(self, error)
        return data

    def save(self) -> Commitment:
        data = self.cleaned_data
        link = {
            "metric_key": data.get("metric_key") or "",
            "goal": data.get("goal"),
            "deal": data.get("deal"),
        }
        if self.instance is not None:
            commitment = self.instance
            commitment.text = data["text"].strip()
            commitment.due_on = data["due_on"]
            for name, value in link.items():
                setattr(commitment, name, value)
            commitment.full_clean()
            commitment.save()
            return commitment
        return logic.make_commitment(
            by=self.viewer,
            owner=data["owner"],
            text=data["text"],
            due_on=data["due_on"],
            meeting=self.meeting,
            **link,
        )

    def try_save(self) -> Commitment | None:
        """Saved, or None with the logic's refusals on the fields."""
        try:
            return self.save()
        except ValidationError as error:
            with_errors(self, error)
            return None


class CloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(s.value, s.label) for s in CommitmentStatus if s != CommitmentStatus.OPEN],
        widget=forms.RadioSelect,
        initial=CommitmentStatus.DONE,
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What shows it is done: a deal, a meeting booked, a document..."),
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == CommitmentStatus.DONE and not (data.get("evidence") or "").strip():
            self.add_error("evidence", _("Say what shows it is done."))
        return data


class SelfReportForm(forms.ModelForm):
    class Meta:
        model = SelfReport
        fields = ["results", "coached_on", "changed", "metric_key", "next_steps"]
        widgets = {
            "results": forms.Textarea(attrs={"rows": 4}),
            "changed": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        org = self.instance.rep.organisation
        self.fields["results"].required = True
        self.fields["results"].help_text = _(
            "How the period went against your goals, in your words."
        )
        self.fields["coached_on"].help_text = _("“You coached me on…”")
        self.fields["changed"].help_text = _("“…and I changed…”")
        self.fields["metric_key"] = forms.ChoiceField(
            label=_("The metric that should move"),
            choices=[("", "---------"), *metric_choices(org)],
            required=False,
        )

    def clean(self):
        data = super().clean()
        if (data.get("changed") or "").strip() and not (data.get("coached_on") or "").strip():
            self.add_error("coached_on", _("Say what you were coached on."))
        return data


class ReviewForm(forms.Form):
    manager_comment = forms.CharField(
        label=_("Your comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProblemForm(SubjectFields):
    text = forms.CharField(
        label=_("What is blocking you?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a line is enough. Your manager gets it at once."),
    )

    def __init__(self, *args, rep: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_subject_fields(rep, [rep.pk], metric=False)
        self.order_fields(["deal", "goal", "text"])


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 2})
    )
