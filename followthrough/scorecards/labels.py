"""Periods and figures as people read them, in their language."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from followthrough.lib.periods import Period, PeriodKind

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
    return "%s – %s" % (
        date_format(period.start, "SHORT_DATE_FORMAT"),
        date_format(period.end, "SHORT_DATE_FORMAT"),
    )


def short_period_label(period: Period) -> str:
    """A compact label for chart axes."""
    kind = PeriodKind(period.kind)
    if kind is PeriodKind.MONTH:
        return date_format(period.start, pgettext("chart axis month", "M Y"))
    if kind is PeriodKind.WEEK:
        return _("W%(week)s") % {"week": period.start.isocalendar()[1]}
    if kind is PeriodKind.CUSTOM:
        return date_format(period.start, "SHORT_DATE_FORMAT")
    return period_label(period)


def decimals_for(unit: str, value: Decimal) -> int:
    if unit in (CURRENCY,):
        return 0
    if unit in (PERCENT, DAYS):
        return 1
    if unit == RATIO:
        return 2
    return 0 if value == value.to_integral_value() else 1


def format_value(value: Decimal | None, unit: str, currency: str = "") -> str:
    """A figure in the reader's number format, with its unit."""
    if value is None:
        return "—"
    if unit == PERCENT:
        # Rates are kept as fractions (0.25); people read them as percentages.
        value = value * 100
    text = number_format(value, decimals_for(unit, value), use_l10n=True, force_grouping=True)
    if unit == CURRENCY and currency:
        return f"{currency} {text}"
    if unit == PERCENT:
        return f"{text} %"
    if unit == DAYS:
        return _("%(value)s d") % {"value": text}
    return text


def format_share(share: Decimal | None) -> str:
    """An attainment (1 = 100 %) as a whole percentage."""
    if share is None:
        return "—"
    return f"{number_format(share * 100, 0, use_l10n=True, force_grouping=True)} %"
