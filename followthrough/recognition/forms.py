"""Forms of recognition pages: kudos, a granted badge, a story. The rules live in
kudos.py, badges.py and stories.py; the views put their refusals on the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.assessments.models import Competency
from followthrough.assessments.texts import shown
from followthrough.people.models import Person
from followthrough.recognition.models import (
    MESSAGE_LENGTH,
    STORY_LENGTH,
    Badge,
    RecognitionSettings,
)


class KudosForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("To"), queryset=Person.objects.none())
    message = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What did they do that helped? Be specific."),
    )
    competency = forms.ModelChoiceField(
        label=_("Competency (optional)"), queryset=Competency.objects.none(), required=False
    )

    def __init__(self, *args, sender: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = Person.objects.filter(
            organisation_id=sender.organisation_id, is_active=True
        ).exclude(pk=sender.pk)
        self.fields["competency"].queryset = Competency.objects.filter(
            organisation_id=sender.organisation_id, is_active=True
        ).select_related("section")
        self.fields["competency"].label_from_instance = lambda c: shown(c.name)


class GrantForm(forms.Form):
    badge = forms.ModelChoiceField(label=_("Badge"), queryset=Badge.objects.none())
    reason = forms.CharField(
        label=_("Why"), max_length=MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, org_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["badge"].queryset = Badge.objects.filter(
            organisation_id=org_id, rule="", is_active=True
        )
        self.fields["badge"].label_from_instance = lambda b: f"{b.symbol} {b.label}"


class StoryForm(forms.Form):
    worked = forms.CharField(
        label=_("What worked"),
        max_length=STORY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    did_not_work = forms.CharField(
        label=_("What did not work"),
        max_length=STORY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    shared = forms.BooleanField(label=_("Share with the team"), required=False, initial=True)


class StorySearchForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = RecognitionSettings
        fields = ["kudos_per_month", "kudos_per_minute", "streak_weeks"]
