from __future__ import annotations

from django import forms

from followthrough.notify.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["digest", "reminders", "language", "timezone"]
