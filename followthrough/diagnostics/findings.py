"""What every rule answers: a status, the reasons in words, and the numbers behind them.

Reasons are kept as (message id, parameters) and put into words when shown, in the
reader's language (`Said.text`), so one computation serves every page, the API and
the digests.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Status(enum.StrEnum):
    OK = "ok"
    WATCH = "watch"
    HELP = "help"
    UNKNOWN = "unknown"  # not enough data to say

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def rank(self) -> int:
        """For sorting: needs help first."""
        return {Status.HELP: 0, Status.WATCH: 1, Status.OK: 2, Status.UNKNOWN: 3}[self]


# The values as the API gives them (one name in the OpenAPI schema: settings.py).
STATUS_VALUES = [s.value for s in Status]

STATUS_LABELS = {
    Status.OK: _("OK"),
    Status.WATCH: _("Watch"),
    Status.HELP: _("Needs help"),
    Status.UNKNOWN: _("Not enough data"),
}


def worst(statuses) -> Status:
    """The most serious of some statuses (unknown only when nothing is known)."""
    known = [s for s in statuses if s != Status.UNKNOWN]
    if not known:
        return Status.UNKNOWN
    return min(known, key=lambda s: s.rank)


@dataclass(frozen=True)
class Said:
    """A sentence to show: a msgid marked with gettext_noop and its parameters."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return gettext(self.msgid) % self.params if self.params else gettext(self.msgid)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Evidence:
    """One number behind a flag, with the page that shows where it comes from."""

    label: Any  # a lazy translation
    value: Decimal | None
    unit: str = ""  # "count", "percent", "currency", "days", "ratio" (metrics.choices.Unit)
    url: str = ""


@dataclass
class Finding:
    """One right (or rule) for one person: its status, why, and the numbers."""

    key: str  # "thing", "way", "time", or a rule key
    status: Status
    reasons: list[Said] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    gap: Decimal | None = None  # right time: projected won deals short of target, coming months
