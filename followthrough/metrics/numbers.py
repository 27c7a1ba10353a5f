"""How every figure is rounded: one rule for pages, exports, charts and digests.

Figures are rounded half to even ("banker's rounding": 0.125 -> 0.12, 0.135 ->
0.14), never truncated. It is the rule of the metrics export, which scripts
depend on, and it does not drift upwards when many rounded figures are added.
A page shows a figure rounded to the places of its unit (places_for); exports
keep EXPORT_PLACES; the data fed to charts is rounded as the page shows it, so
a tooltip reads what the table reads (docs/metrics.md, "Rounding").
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

# Units named as in followthrough.metrics.choices.Unit.
CURRENCY, PERCENT, RATIO, DAYS, SECONDS, COUNT = (
    "currency",
    "percent",
    "ratio",
    "days",
    "seconds",
    "count",
)
ROUNDING = ROUND_HALF_EVEN
EXPORT_PLACES = 4
HUNDRED = Decimal(100)


def round_figure(value: Decimal | None, places: int) -> Decimal | None:
    """`value` rounded half to even to `places` decimals; None stays None."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)
    return rounded + 0  # -0.00 reads as 0.00


def places_for(unit: str, value: Decimal) -> int:
    """The decimals a page shows for a figure of `unit` (percent: of the value × 100)."""
    if unit == CURRENCY:
        return 0
    if unit in (PERCENT, DAYS):
        return 1
    if unit == RATIO:
        return 2
    return 0 if value == value.to_integral_value() else 1


def shown(value: Decimal | None, unit: str) -> Decimal | None:
    """The figure as a page shows it, in the page's scale (a percent as 25.3, not 0.253)."""
    if value is None:
        return None
    if unit == PERCENT:
        value = value * HUNDRED
    return round_figure(value, places_for(unit, value))


def shown_share(share: Decimal | None) -> Decimal | None:
    """An attainment (1 = 100 %) as the whole percentage a page shows."""
    return None if share is None else round_figure(share * HUNDRED, 0)


def exported(value: Decimal | None) -> Decimal | None:
    """A figure as exports write it: EXPORT_PLACES decimals, trailing zeros dropped."""
    rounded = round_figure(value, EXPORT_PLACES)
    return None if rounded is None else rounded.normalize() + 0


def json_number(value: Decimal | None) -> int | float | None:
    """A rounded figure as a JSON number: an int when whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
