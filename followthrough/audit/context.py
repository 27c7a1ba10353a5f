"""Who is acting right now, for the audit history (request, CLI or job)."""

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


def current_actor() -> Actor:
    return _current.get()


@contextlib.contextmanager
def acting_as(user: Any | None = None, name: str | None = None) -> Iterator[Actor]:
    """Attribute the changes made inside the block to `user` (or to `name`)."""
    label = name or (user.get_username() if user is not None else SYSTEM.name)
    token = _current.set(Actor(user=user, name=label))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
