"""Template helpers of the manager scorecard: each figure in the reader's format."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from followthrough.coaching import managerscore as ms
from followthrough.metrics.labels import format_number, format_share

register = template.Library()


@register.filter
def manager_figure(figure: ms.Figure) -> str:
    if figure.value is None:
        return "—"
    if figure.is_share:
        return format_share(figure.value)
    if figure.key == ms.COACHING_TIME:
        return _("%(hours)s h") % {"hours": format_number(figure.value, 1)}
    return format_number(figure.value, 0)


@register.filter
def manager_parts(figure: ms.Figure) -> str:
    """What the figure was divided from, in words."""
    if figure.key == ms.STEPPED_IN:
        return ""
    if figure.key == ms.ATTAINMENT:
        if figure.denominator is None:
            return _("no team target")
        return _("%(actual)s of a target of %(target)s") % {
            "actual": format_number(figure.numerator, 0),
            "target": format_number(figure.denominator, 0),
        }
    if figure.key == ms.COACHING_TIME:
        if not figure.denominator:
            return ""
        return _("%(minutes)s minutes ÷ %(rep_months)s rep-months") % {
            "minutes": format_number(figure.numerator, 0),
            "rep_months": format_number(figure.denominator, 2),
        }
    if figure.denominator is None:
        return _("no promise set for the team")
    return _("%(numerator)s of %(denominator)s") % {
        "numerator": format_number(figure.numerator, 0),
        "denominator": format_number(figure.denominator, 0),
    }


@register.filter
def guidance_text(figure: ms.Figure) -> str:
    return {
        ms.BELOW: _("below the 3-5 hours guidance"),
        ms.WITHIN: _("within the 3-5 hours guidance"),
        ms.ABOVE: _("above the 3-5 hours guidance"),
    }.get(figure.note if figure.key == ms.COACHING_TIME else "", "")
