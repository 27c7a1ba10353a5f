from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from followthrough.notify.models import ChatHook, Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["digest", "reminders", "language", "timezone"]


class ChatHookForm(forms.ModelForm):
    url = forms.URLField(label=_("incoming webhook URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = ChatHook
        fields = ["url", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        # An https endpoint (a chat service's incoming webhook); plain http only on this machine.
        if not (url.startswith("https://") or url.startswith("http://127.0.0.1")):
            raise forms.ValidationError(_("Use the https address the chat service gave you."))
        return url
