"""Targets as people type them: rates in percent, everything else in the metric's unit.

Rates (metrics whose unit is percent) are stored as fractions, as the metric
engine computes them: a win-rate target of 30 % is stored as 0.30. People
type percentages in the goal form and in CSV imports ("30" or "30 %"); the
JSON API, like every figure the API and exports give, uses fractions and
refuses a rate above 1 with a hint. Pure arithmetic, no database.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

PERCENT = "percent"
HUNDRED = Decimal(100)
# Targets are stored with max_digits=16, decimal_places=4.
TOO_LARGE = Decimal(10) ** 12


class TargetError(ValueError):
    """A target that cannot be used; `message` says what to fix, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plain(value: Decimal) -> str:
    """30.00 -> '30': without trailing zeros and never as '3E+1'."""
    return f"{value.normalize():f}"


def is_rate(metric) -> bool:
    return metric is not None and str(metric.unit) == PERCENT


def check_typed(value: Decimal, metric) -> Decimal:
    """A target typed by a person (percent for rates) -> the stored value."""
    if not value.is_finite():
        raise TargetError(_("Not a number of 0 or more."))
    if value < 0:
        raise TargetError(_("A target cannot be negative."))
    if is_rate(metric):
        if value > HUNDRED:
            raise TargetError(
                _("A rate is a percentage from 0 to 100: type 30 for 30 %%, not %(value)s.")
                % {"value": plain(value)}
            )
        return value / HUNDRED
    if value >= TOO_LARGE:
        raise TargetError(_("Not a number of 0 or more."))
    return value


def check_stored(value: Decimal, metric) -> Decimal:
    """A target sent in the stored unit (the JSON API: rates as fractions)."""
    if value < 0:
        raise TargetError(_("A target cannot be negative."))
    if is_rate(metric) and value > 1:
        raise TargetError(
            _("Rates are fractions in the API: 0.3 for 30 %%; %(value)s is more than 100 %%.")
            % {"value": plain(value)}
        )
    return value


def typed(stored: Decimal | None, metric) -> Decimal | None:
    """The stored target as a person types it (percent for rates)."""
    if stored is None:
        return None
    return Decimal(plain(stored * HUNDRED if is_rate(metric) else stored))


def parse_typed(text: str, metric) -> Decimal:
    """A target cell of a CSV file: '12', '50,000', '30', '30 %' -> the stored value.

    A rate given as a fraction without '%' ('0.3') is refused rather than read as
    0.3 %: files written for the fractions this import once took must not go in
    a hundred times too small.
    """
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    has_percent = cleaned.endswith("%")
    cleaned = cleaned.rstrip("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise TargetError(_("Not a number of 0 or more.")) from None
    if has_percent and not is_rate(metric):
        raise TargetError(_("This metric is not a rate: give the target without %."))
    if is_rate(metric) and not has_percent and 0 < value < 1:
        raise TargetError(
            _("Rates are percentages: type 30 for 30 %% (or %(value)s %% if you mean that).")
            % {"value": plain(value)}
        )
    return check_typed(value, metric)
