"""The agreement banner: a rep sees, on every page, an agreement they have not acknowledged.

Lazy: nothing is asked of the database unless the page shows the banner, and only for
a rep (the people agreements cover), so other roles' pages keep their query counts.
"""

from __future__ import annotations

from django.utils.functional import cached_property

from followthrough.people.access import person_of
from followthrough.people.models import Role


class AgreementBanner:
    """What the banner needs, looked up the first time the template asks."""

    def __init__(self, request) -> None:
        self.request = request

    @cached_property
    def pending(self):
        from followthrough.coaching.agreements import pending_for

        person = person_of(getattr(self.request, "user", None))
        if person is None or person.role != Role.REP:
            return None
        return pending_for(person)


def agreement_banner(request) -> dict:
    return {"agreement_banner": AgreementBanner(request)}


class Unread:
    """How many notifications the person has not read, asked only when a page shows it."""

    def __init__(self, request) -> None:
        self.request = request

    @cached_property
    def count(self) -> int:
        from followthrough.coaching.notifications import unread_count

        person = person_of(getattr(self.request, "user", None))
        return unread_count(person) if person is not None else 0


def notifications(request) -> dict:
    return {"unread": Unread(request)}
