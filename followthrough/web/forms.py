"""The login form: people log in with their e-mail address."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's own message names the model's "username", which this form does not show.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match. "
            "Check both; the password is case-sensitive."
        ),
    }
    username = UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self) -> str:
        # Logins are stored as lower-case e-mail addresses; people type them any way.
        return self.cleaned_data["username"].strip().lower()
