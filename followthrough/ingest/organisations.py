"""Which organisation a command-line import or integration is for."""

from __future__ import annotations

from django.core.management.base import CommandError

from followthrough.people.models import Organisation


def organisation_from(slug: str | None) -> Organisation:
    """The organisation named by `slug`, or the only one there is."""
    if slug:
        try:
            return Organisation.objects.get(slug=slug)
        except Organisation.DoesNotExist:
            raise CommandError(f"no organisation with the short name {slug!r}") from None
    orgs = list(Organisation.objects.all()[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CommandError(
            "there is no organisation yet: create one with `followthrough createadmin`"
        )
    raise CommandError("there are several organisations: name one with --organisation SLUG")
