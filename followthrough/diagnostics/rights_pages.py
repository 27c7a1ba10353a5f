"""What the three-rights pages and API show: the month asked for, the team in view, the
people, and the figures put into words (views and the API stay thin)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from followthrough.diagnostics import scope, three_rights
from followthrough.diagnostics.findings import Evidence, Finding
from followthrough.lib.periods import Period, PeriodKind, period_of, shift
from followthrough.metrics.labels import format_value
from followthrough.people import access
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person, Team

CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM = 320, 120, 8, 20


def last_complete_month(today: dt.date) -> Period:
    return shift(period_of(PeriodKind.MONTH, today), -1)


def month_from(text: str | None, today: dt.date) -> Period | None:
    """`YYYY-MM` as a month (None when malformed or not over yet); the default when empty."""
    if not text:
        return last_complete_month(today)
    try:
        year, month = (int(part) for part in text.split("-"))
        month = period_of(PeriodKind.MONTH, dt.date(year, month, 1))
    except (TypeError, ValueError):
        return None
    return month if month.start <= today else None


def default_team(viewer: Person, today: dt.date) -> Team | None:
    """The viewer's own team when they may see it, else the first team they see (or none)."""
    teams = access.visible_teams(viewer)
    line = line_on(viewer, today)
    if line is not None and line.team_id and teams.filter(pk=line.team_id).exists():
        return line.team
    return teams.order_by("name").first()


def assess_people(viewer: Person, people: list[Person], month: Period) -> list:
    org = viewer.organisation
    today = today_for(org)
    found = three_rights.assess(org, people, month, today)
    return three_rights.by_gap(list(found.values()))


def team_rights(viewer: Person, team: Team | None, month: Period) -> list:
    today = today_for(viewer.organisation)
    return assess_people(
        viewer, in_role(scope.sellers(viewer, min(month.end, today), team), month), month
    )


def in_role(people: list[Person], month: Period) -> list[Person]:
    """The people who were in their role during the month (a later hire has nothing to judge)."""
    return [p for p in people if p.role_since is None or p.role_since <= month.end]


def shown_evidence(evidence: Evidence, currency: str = "") -> dict:
    return {
        "label": str(evidence.label),
        "value": evidence.value,
        "shown": format_value(evidence.value, evidence.unit, currency),
        "url": evidence.url,
    }


def finding_view(finding: Finding, currency: str = "") -> dict:
    return {
        "key": finding.key,
        "status": str(finding.status),
        "label": finding.status.label,
        "reasons": [said.text for said in finding.reasons],
        "evidence": [shown_evidence(e, currency) for e in finding.evidence],
        "gap": finding.gap,
    }


def chart(points) -> dict:
    """A small bar chart in SVG units: prospecting per month as bars, the need as ticks."""
    values = [float(p.prospecting) for p in points] + [float(p.need or 0) for p in points]
    top = max(values + [1.0])
    width = (CHART_WIDTH - CHART_LEFT) / max(len(points), 1)
    plot = CHART_HEIGHT - CHART_BOTTOM

    def y(value: float) -> float:
        return round(plot - plot * value / top, 1)

    bars = []
    for index, point in enumerate(points):
        x = round(CHART_LEFT + index * width, 1)
        bars.append(
            {
                "x": x + 4,
                "width": round(width - 8, 1),
                "y": y(float(point.prospecting)),
                "height": round(plot - y(float(point.prospecting)), 1),
                "x2": round(x + width - 4, 1),
                "need_y": None if point.need is None else y(float(point.need)),
                "label_x": round(x + width / 2, 1),
                "month": point.month.start,
                "prospecting": point.prospecting,
                "need": point.need,
                "short": point.need is not None and point.prospecting < point.need,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "label_y": CHART_HEIGHT - 5,
        "title": _("Cold calls and e-mails per month against the need"),
    }
