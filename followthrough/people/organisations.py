"""Which organisation a command means: `--organisation` takes its slug or its name."""

from __future__ import annotations

from django.core.management.base import CommandError

from followthrough.people.models import Organisation


def find_organisation(value: str) -> Organisation | None:
    """The organisation whose slug is `value`, else the one whose name is (any case).

    A slug is unique, so it always wins; a name shared by several organisations is
    refused with their slugs, so the caller can name one.
    """
    value = value.strip()
    by_slug = Organisation.objects.filter(slug=value).first()
    if by_slug is not None:
        return by_slug
    named = list(Organisation.objects.filter(name__iexact=value).order_by("slug")[:10])
    if len(named) > 1:
        slugs = ", ".join(org.slug for org in named)
        raise CommandError(
            f"several organisations are called {value!r}: give its short name instead ({slugs})"
        )
    return named[0] if named else None


def organisation_from(value: str | None) -> Organisation:
    """The organisation named by `value` (slug or name), or the only one there is."""
    if value:
        org = find_organisation(value)
        if org is None:
            raise CommandError(
                f"no organisation with the short name or name {value!r}: "
                "`followthrough organisation list` shows them"
            )
        return org
    orgs = list(Organisation.objects.all()[:2])
    if len(orgs) == 1:
        return orgs[0]
    if not orgs:
        raise CommandError(
            "there is no organisation yet: create one with `followthrough createadmin`"
        )
    raise CommandError("there are several organisations: name one with --organisation SLUG")
