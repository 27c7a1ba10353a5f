"""Who is acting right now, for the audit history (request, CLI or job).

An explicit `acting_as` block wins. Otherwise, while a request is served, the actor is
whoever the request is authenticated as *when the change is made*: an API request is
authenticated by its token inside the view, after the middleware has run, and its
writes belong to the token's person, not to "system".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any | None
    name: str


SYSTEM = Actor(user=None, name="system")
_current: ContextVar[Actor] = ContextVar("audit_actor", default=SYSTEM)
_request: ContextVar[Any | None] = ContextVar("audit_request", default=None)


def _request_actor(request: Any) -> Actor | None:
    user = getattr(request, "user", None)
    # Only logins: an integration's own writes name it with acting_as.
    if (
        user is None
        or not getattr(user, "is_authenticated", False)
        or not getattr(user, "pk", None)
    ):
        return None
    if not hasattr(user, "get_username"):
        return None
    return Actor(user=user, name=user.get_username())


def current_actor() -> Actor:
    actor = _current.get()
    if actor is SYSTEM:
        request = _request.get()
        if request is not None:
            return _request_actor(request) or SYSTEM
    return actor


@contextlib.contextmanager
def acting_as(user: Any | None = None, name: str | None = None) -> Iterator[Actor]:
    """Attribute the changes made inside the block to `user` (or to `name`)."""
    label = name or (user.get_username() if user is not None else SYSTEM.name)
    token = _current.set(Actor(user=user, name=label))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextlib.contextmanager
def serving(request: Any) -> Iterator[None]:
    """Attribute the changes made while serving `request` to whoever it is authenticated as."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
