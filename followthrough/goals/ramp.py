"""Ramped targets for new hires: a share of the full target by month of tenure.

Month 1 of tenure is the calendar month the person started in their role
(Person.role_since), month 2 the next one, and so on; from the month after the
last share on, the full target applies. Days before the start count for
nothing. A period's ramped target is the full target times the mean share over
its days, so a quarter that spans months 1-3 gets the day-weighted average of
their shares. Pure date arithmetic, no database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from followthrough.lib.periods import Period

# The classic ramp: a quarter, a half, three quarters, then the full target.
DEFAULT_RAMP: tuple[int, ...] = (25, 50, 75)


def tenure_month(role_since: dt.date, day: dt.date) -> int:
    """1 in the calendar month of role_since, 2 the month after; 0 or less before it."""
    if day < role_since:
        return 0
    return (day.year - role_since.year) * 12 + day.month - role_since.month + 1


def share_on(shares: Sequence[int], role_since: dt.date | None, day: dt.date) -> Decimal:
    """The share (0-1) of the full target that applies on `day`."""
    if role_since is None:
        return Decimal(1)
    month = tenure_month(role_since, day)
    if month < 1:
        return Decimal(0)
    if month > len(shares):
        return Decimal(1)
    return Decimal(shares[month - 1]) / 100


def ramp_factor(shares: Sequence[int], role_since: dt.date | None, period: Period) -> Decimal:
    """The mean share over the period's days: the ramped target is target × this."""
    if role_since is None or not shares:
        return Decimal(1)
    full_from = _first_full_day(shares, role_since)
    if period.start >= full_from:
        return Decimal(1)
    total = Decimal(0)
    day = period.start
    while day <= period.end:
        total += share_on(shares, role_since, day)
        day += dt.timedelta(days=1)
    return total / period.days


def _first_full_day(shares: Sequence[int], role_since: dt.date) -> dt.date:
    index = role_since.year * 12 + role_since.month - 1 + len(shares)
    return dt.date(index // 12, index % 12 + 1, 1)


# Shares may be separated by spaces, commas or semicolons, each with or without "%".
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_MONTHS = 24


class SharesError(ValueError):
    """A ramp that cannot be read; `message` says what to fix, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_shares(text: str) -> list[int]:
    """'25 50 75', '25, 50, 75', '25%;50%;75%' -> [25, 50, 75].

    The one reader of typed ramps, shared by the goal form, the API and the CSV
    import; raises SharesError with a reason a person can act on.
    """
    shares = []
    for part in _SEPARATORS.split(text.replace("%", " ").strip()):
        if not part:
            continue
        if not part.isdigit() or not 0 <= int(part) <= 100:
            raise SharesError(_("%(value)s is not a percentage from 0 to 100.") % {"value": part})
        shares.append(int(part))
    if len(shares) > MAX_MONTHS:
        raise SharesError(_("A ramp can last at most 24 months."))
    return shares


def shares_text(shares: Sequence[int]) -> str:
    """[25, 50, 75] -> '25 %, 50 %, 75 %'; '—' for no shares."""
    if not shares:
        return "—"
    return ", ".join(f"{share} %" for share in shares)
