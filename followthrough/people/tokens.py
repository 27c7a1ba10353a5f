"""Personal access tokens: a person's own key to the API, acting with exactly their rights.

A token is shown once, when it is made; only its SHA-256 hash is kept. It expires
(90 days unless chosen otherwise, a year at most) and stops working as soon as it is
revoked: by its owner, by an administrator, or by itself when the person's password
changes or their login is closed, since whoever held the old password may have made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils import timezone

from followthrough.people.models import AccessToken, Person, RevokeReason

# Distinct from integration tokens (ft_), so neither is ever taken for the other.
TOKEN_PREFIX = "ftp_"
DEFAULT_DAYS = 90
MAX_DAYS = 365
DAY_CHOICES = (7, 30, 60, 90, 180, 365)
# last_used_at is a hint for the owner, not a log: one write a minute at most per token.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class Refusal(StrEnum):
    """Why a presented token does not authenticate."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    plaintext: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class Check:
    """The outcome of checking a presented token: its person, or why it is refused."""

    person: Person | None
    refusal: Refusal | None = None


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(
    person: Person, name: str, days: int = DEFAULT_DAYS, now: dt.datetime | None = None
) -> NewToken:
    """Make a token for `person`, valid for `days` days (1 to MAX_DAYS)."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a token lasts 1 to {MAX_DAYS} days")
    name = name.strip()
    if not name:
        raise ValueError("a token needs a name")
    now = now or timezone.now()
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        name=name[:100],
        token_hash=hash_token(plaintext),
        token_prefix=plaintext[:10],
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    return NewToken(token, plaintext)


def check_token(plaintext: str, now: dt.datetime | None = None) -> Check:
    """Who `plaintext` authenticates as, or why it is refused; notes when it was used."""
    now = now or timezone.now()
    token = (
        AccessToken.objects.filter(token_hash=hash_token(plaintext))
        .select_related("person__user")
        .first()
    )
    if token is None:
        return Check(None, Refusal.UNKNOWN)
    if token.revoked_at is not None:
        return Check(None, Refusal.REVOKED)
    if token.expires_at <= now:
        return Check(None, Refusal.EXPIRED)
    person = token.person
    if not person.is_active or person.user is None or not person.user.is_active:
        return Check(None, Refusal.INACTIVE)
    if token.last_used_at is None or token.last_used_at <= now - LAST_USED_RESOLUTION:
        # A bare update: no audit entry, and the condition keeps concurrent requests to one write.
        AccessToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return Check(person)


def revoke_token(
    token: AccessToken, reason: str, by: Person | None = None, now: dt.datetime | None = None
) -> bool:
    """Refuse `token` from now on (saved, so it is audited); False if it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or timezone.now()
    token.revoked_by = by
    token.revoke_reason = reason
    token.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return True


def revoke_all(person_id: int, reason: str, by: Person | None = None) -> int:
    """Revoke every live token of a person; how many were revoked."""
    now = timezone.now()
    # One save each rather than a bulk update, so every revocation is in the audit history;
    # a person has a handful of tokens at most.
    live = AccessToken.objects.filter(person_id=person_id, revoked_at__isnull=True)
    return sum(revoke_token(token, reason, by, now) for token in live)


def tokens_of(person: Person) -> QuerySet[AccessToken]:
    """A person's tokens, newest first, live or not (the page shows why each stopped)."""
    return AccessToken.objects.filter(person=person)


def revoke_on_password_change(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save of the user model: a new password (changed, reset or set) revokes the tokens."""
    # set_password() keeps the new raw password in _password until save() has stored it;
    # Django clears it itself when it only rehashes the same password at login.
    if raw or getattr(instance, "_password", None) is None:
        return
    person_id = Person.objects.filter(user=instance).values_list("pk", flat=True).first()
    if person_id is not None:
        revoke_all(person_id, RevokeReason.PASSWORD)


def revoke_on_user_deactivation(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save of the user model: a closed login revokes the tokens (reopening it does not revive them)."""
    if raw or instance.is_active:
        return
    person_id = Person.objects.filter(user=instance).values_list("pk", flat=True).first()
    if person_id is not None:
        revoke_all(person_id, RevokeReason.DEACTIVATED)


def revoke_on_person_deactivation(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    """post_save of Person: a person made inactive loses their tokens."""
    if raw or instance.is_active:
        return
    revoke_all(instance.pk, RevokeReason.DEACTIVATED)
