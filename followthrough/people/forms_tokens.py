"""The form that makes a personal access token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from followthrough.people.tokens import DAY_CHOICES, DEFAULT_DAYS


def _days_label(days: int) -> str:
    return ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “weekly report script”."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=DEFAULT_DAYS,
        choices=[(days, _days_label(days)) for days in DAY_CHOICES],
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
