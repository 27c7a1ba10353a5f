"""View guards: a logged-in person, optionally of given roles."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from followthrough.people.access import person_of


def person_required(view=None, *, roles: tuple[str, ...] | None = None):
    """Require a logged-in user linked to an active person; sets request.person."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            person = person_of(request.user)
            if person is None:
                raise PermissionDenied("This login is not linked to a person.")
            if roles is not None and person.role not in roles:
                raise PermissionDenied("Your role may not open this page.")
            request.person = person
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
