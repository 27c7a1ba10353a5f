"""Forms for the organisation, its people and their reporting lines."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from followthrough.lib.validators import validate_start
from followthrough.people.lines import line_on, move, today_for
from followthrough.people.models import Organisation, Person, Team


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "timezone", "fiscal_year_start_month", "currency"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The model stores the month's number; people choose it by name, in their language.
        self.fields["fiscal_year_start_month"].choices = list(MONTHS.items())

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip().upper()
        if len(value) != 3 or not value.isalpha():
            raise forms.ValidationError(_("Use a three-letter currency code such as EUR."))
        return value


class PersonForm(forms.ModelForm):
    """A person's details and, from a given date, their manager and team."""

    manager = forms.ModelChoiceField(
        label=_("Reports to"), queryset=Person.objects.none(), required=False
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    effective = forms.DateField(
        label=_("Manager and team from"),
        help_text=_("A change of manager or team starts on this date; the past is kept."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    can_log_in = forms.BooleanField(
        label=_("Can log in"),
        required=False,
        help_text=_("Creates a login for the e-mail address above."),
    )

    class Meta:
        model = Person
        fields = ["name", "email", "title", "role", "role_since", "external_id", "is_active"]
        widgets = {"role_since": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = self.instance.organisation = organisation
        today = today_for(organisation)
        others = Person.objects.filter(organisation=organisation, is_active=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            line = line_on(self.instance, today)
            if line is not None:
                self.initial.setdefault("manager", line.manager_id)
                self.initial.setdefault("team", line.team_id)
            self.initial.setdefault("can_log_in", self.instance.user_id is not None)
        self.fields["manager"].queryset = others
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation)
        self.initial.setdefault("effective", today)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email:
            users = get_user_model().objects.filter(username__iexact=email)
            if self.instance.user_id:
                users = users.exclude(pk=self.instance.user_id)
            if users.exists():
                raise forms.ValidationError(_("Another login already uses this e-mail address."))
        return email

    def clean_role_since(self) -> dt.date | None:
        day = self.cleaned_data.get("role_since")
        validate_start(day, today_for(self.organisation))
        return day

    def clean_effective(self) -> dt.date | None:
        day = self.cleaned_data.get("effective")
        validate_start(day, today_for(self.organisation))
        return day

    def clean_external_id(self) -> str:
        value = self.cleaned_data["external_id"].strip()
        if value:
            clash = Person.objects.filter(organisation=self.organisation, external_id=value)
            if clash.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("Another person already has this external id."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("can_log_in") and not cleaned.get("email"):
            self.add_error("email", _("A person who can log in needs an e-mail address."))
        manager = cleaned.get("manager")
        if manager is not None and self.instance.pk:
            from followthrough.people.lines import reports_of

            if manager.pk in reports_of(self.instance, cleaned.get("effective")):
                self.add_error("manager", _("This person reports to them: that would be a loop."))
        return cleaned

    @transaction.atomic
    def save(self, commit: bool = True) -> Person:
        person = super().save(commit=False)
        person.organisation = self.organisation
        person.save()
        self._sync_login(person)
        manager, team = self.cleaned_data.get("manager"), self.cleaned_data.get("team")
        effective: dt.date = self.cleaned_data["effective"]
        line = line_on(person, effective)
        current = (line.manager_id, line.team_id) if line else (None, None)
        wanted = (manager.pk if manager else None, team.pk if team else None)
        if current != wanted:
            move(person, manager=manager, team=team, on=effective)
        return person

    # Set by save(): the login was created or opened again and has no password yet,
    # so the view sends an invitation (people/invitations.py).
    needs_invitation = False

    def _sync_login(self, person: Person) -> None:
        User = get_user_model()
        if self.cleaned_data.get("can_log_in"):
            opened = False
            if person.user_id is None:
                user = User.objects.create_user(username=person.email, email=person.email)
                user.set_unusable_password()
                user.save()
                person.user = user
                person.save(update_fields=["user"])
                opened = True
            elif person.user.email != person.email:
                person.user.username = person.user.email = person.email
                person.user.save(update_fields=["username", "email"])
                opened = True
            if not person.user.is_active:
                person.user.is_active = True
                person.user.save(update_fields=["is_active"])
                opened = True
            self.needs_invitation = opened and not person.user.has_usable_password()
        elif person.user_id is not None and person.user.is_active:
            # Revoking access keeps the login (and its audit trail), disabled.
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "parent", "external_id"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        parents = Team.objects.filter(organisation=organisation)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Team.objects.filter(organisation=self.instance.organisation, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A team with this name already exists."))
        return name
