"""Periods and figures as people read them, in their language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from followthrough.lib.periods import Period, PeriodKind
from followthrough.metrics.numbers import round_figure, shown, shown_share

# Units named as in followthrough.metrics.choices.Unit.
CURRENCY, PERCENT, RATIO, DAYS, SECONDS = "currency", "percent", "ratio", "days", "seconds"


def period_label(period: Period) -> str:
    """'January 2026', '2026年1月', 'Q1 2026', 'Week 3, 2026', 'FY2026' or a range."""
    kind = PeriodKind(period.kind)
    if kind is PeriodKind.MONTH:
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    if kind is PeriodKind.QUARTER:
        quarter = (period.start.month - 1) // 3 + 1
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": period.start.year}
    if kind is PeriodKind.WEEK:
        year, week, _day = period.start.isocalendar()
        return _("Week %(week)s, %(year)s") % {"week": week, "year": year}
    if kind is PeriodKind.YEAR:
        return str(period.start.year)
    if kind is PeriodKind.FISCAL_YEAR:
        return _("FY%(year)s") % {"year": period.end.year}
    # The date format every page uses for a day: one per language (docs/user-guide.md).
    return "%s – %s" % (date_format(period.start), date_format(period.end))


def short_period_label(period: Period) -> str:
    """A compact label for chart axes."""
    kind = PeriodKind(period.kind)
    if kind is PeriodKind.MONTH:
        return date_format(period.start, pgettext("chart axis month", "M Y"))
    if kind is PeriodKind.WEEK:
        return _("W%(week)s") % {"week": period.start.isocalendar()[1]}
    if kind is PeriodKind.CUSTOM:
        return date_format(period.start)
    return period_label(period)


def format_value(value: Decimal | None, unit: str, currency: str = "") -> str:
    """A figure in the reader's number format, with its unit."""
    if value is None:
        return "—"
    # Rates are kept as fractions (0.25); people read them as percentages. Rounded, never
    # truncated, by the rule every page, export and chart shares (metrics/numbers.py).
    value = shown(value, unit)
    text = number_format(value, -value.as_tuple().exponent, use_l10n=True, force_grouping=True)
    if unit == CURRENCY and currency:
        return f"{currency} {text}"
    if unit == PERCENT:
        return f"{text} %"
    if unit == DAYS:
        return _("%(value)s d") % {"value": text}
    return text


def format_number(value: Decimal | None, places: int = 2) -> str:
    """A record's number (an amount in a drill-down) in the reader's format: whole
    numbers without decimals, others with `places`, rounded by the shared rule."""
    if value is None:
        return "—"
    rounded = round_figure(value, places)
    if rounded == rounded.to_integral_value():
        rounded, places = rounded.quantize(Decimal(1)), 0
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def format_share(share: Decimal | None) -> str:
    """An attainment (1 = 100 %) as a whole percentage."""
    if share is None:
        return "—"
    return f"{number_format(shown_share(share), 0, use_l10n=True, force_grouping=True)} %"
