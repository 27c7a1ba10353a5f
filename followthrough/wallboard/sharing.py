"""Creating, finding and revoking wallboard links."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from followthrough.people.models import Person
from followthrough.wallboard.models import WallboardLink

# 32 random bytes: 43 URL-safe characters, not guessable in any number of tries.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def create_link(by: Person, **fields) -> WallboardLink:
    """A new link made by `by` (rights are the caller's concern: see rights.py)."""
    return WallboardLink.objects.create(
        organisation_id=by.organisation_id, created_by=by, token=new_token(), **fields
    )


@transaction.atomic
def revoke(link: WallboardLink, by: Person) -> WallboardLink:
    """Revoked links stay (for the history) but open nothing; revoking twice changes nothing."""
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def live_link(token: str) -> WallboardLink | None:
    """The link behind `token` if it still opens anything; None for unknown or revoked."""
    if not token or len(token) > 64:
        return None
    link = (
        WallboardLink.objects.select_related("organisation", "contest", "team")
        .filter(token=token)
        .first()
    )
    # compare_digest: the lookup found it, this only guards against a database collation
    # that matches case-insensitively.
    if link is None or link.is_revoked or not secrets.compare_digest(link.token, token):
        return None
    return link
