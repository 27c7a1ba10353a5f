"""Invitations: a new login gets an e-mail with a link to choose its password.

A login created for a person has no password yet, and Django's password reset
sends nothing to such a login; so the invitation is the way in. Its link works
until the password is set (the token hashes the password, which then changes)
or INVITATION_TIMEOUT seconds have passed; an admin can send a fresh one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from followthrough.people.models import Person


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Password-reset tokens with their own salt and their own, longer lifetime."""

    key_salt = "followthrough.people.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            stamp, _ = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.INVITATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_url(person: Person) -> str:
    """The absolute link that lets `person` choose their password."""
    user = person.user
    path = reverse(
        "invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def awaits_password(person: Person) -> bool:
    """The person has an active login whose password is not chosen yet."""
    user = person.user
    return user is not None and user.is_active and not user.has_usable_password()


def send_invitation(person: Person, *, inviter: Person | None = None) -> None:
    """E-mail `person` a link to choose the password of their login."""
    context = {
        "person": person,
        "organisation": person.organisation,
        "inviter": inviter,
        "url": invitation_url(person),
        "days": settings.INVITATION_TIMEOUT // 86400,
    }
    subject = render_to_string("people/invitation_subject.txt", context).strip()
    body = render_to_string("people/invitation_email.txt", context)
    send_mail(subject, body, None, [person.user.email])
