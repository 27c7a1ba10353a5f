"""Form and import checks on dates people type, shared so every way in says the same.

A date outside the supported range (lib/periods.py) cannot be shown or computed
with. A person's start in a role or on a team is history or the near future:
a date more than a year ahead or from before anyone now working was born is a
typing mistake ("2099" for "2019"), so it is refused with a message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from followthrough.lib.periods import FIRST_DAY, LAST_DAY, supported

# How far from today a start in a role (or on a team) may lie.
START_AHEAD = dt.timedelta(days=366)
START_BEHIND_YEARS = 80


def validate_supported_day(day: dt.date | None) -> None:
    """Refuse a day outside the range periods are computed for."""
    if day is not None and not supported(day):
        raise ValidationError(
            _("Choose a date from %(first)s to %(last)s."),
            code="out_of_range",
            params={"first": date_format(FIRST_DAY), "last": date_format(LAST_DAY)},
        )


def start_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The earliest and latest plausible start in a role or on a team, seen from `today`."""
    earliest = today.replace(year=today.year - START_BEHIND_YEARS, day=1)
    return max(earliest, FIRST_DAY), min(today + START_AHEAD, LAST_DAY)


def validate_start(day: dt.date | None, today: dt.date) -> None:
    """Refuse a start in a role or on a team too far in the future or the past."""
    if day is None:
        return
    earliest, latest = start_bounds(today)
    if day > latest:
        raise ValidationError(
            _("This date is more than a year ahead: choose one until %(last)s."),
            code="too_late",
            params={"last": date_format(latest)},
        )
    if day < earliest:
        raise ValidationError(
            _("This date is too far in the past: choose one from %(first)s."),
            code="too_early",
            params={"first": date_format(earliest)},
        )
