"""The hiring forecast: when and how many reps a team must hire so capacity meets next
year's target, from the measured ramp, productivity and attrition (docs/diagnostics.md).

Every assumption is shown with what the data measured and the value the user set
(HiringAssumptions: an empty field means "use the measured value"); the one in use is the
user's when set, else the measured one, else a stated default. The arithmetic is in
hiring_plan.py, the measures in hiring_measured.py; this module puts them together for
many teams at once (`forecast_teams`, a fixed number of queries whatever the number of
teams: the measures' budget, the metric catalogue and the saved assumptions).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followthrough.diagnostics.findings import Said
from followthrough.diagnostics.hiring_measured import Measured, measure
from followthrough.diagnostics.hiring_plan import Inputs, Plan, plan, year_months
from followthrough.diagnostics.models import HiringAssumptions
from followthrough.goals.catalog import is_additive
from followthrough.lib.periods import Period
from followthrough.metrics.engine import get_metrics
from followthrough.metrics.labels import format_number, format_value
from followthrough.people.models import Organisation, Team

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# Used when the data cannot tell: sales teams commonly lose a fifth of their reps a year
# (industry surveys put it between 20 % and 35 %); the lower end, since it is a default.
DEFAULT_ATTRITION = Decimal(20)
DEFAULT_RAMP_MONTHS = 3  # the goals' default ramp (25 %, 50 %, 75 %) lasts three months
DEFAULT_METRIC = "revenue_won"
# The metrics a forecast may plan on: they add up over people and months.
METRICS = ("revenue_won", "deals_won", "new_business_won")


class Source(enum.StrEnum):
    MEASURED = "measured"
    YOURS = "yours"
    DEFAULT = "default"
    NONE = "none"  # nothing measured, nothing set


SOURCE_LABELS = {
    Source.MEASURED: _("measured"),
    Source.YOURS: _("your value"),
    Source.DEFAULT: _("default"),
    Source.NONE: _("unknown"),
}


class Key(enum.StrEnum):
    TARGET = "annual_target"
    PRODUCTIVITY = "productivity"
    RAMP = "ramp_months"
    ATTRITION = "attrition"
    LEAD = "lead_months"


KEY_LABELS = {
    Key.TARGET: _("Target for the year"),
    Key.PRODUCTIVITY: _("Monthly figure of a fully ramped rep"),
    Key.RAMP: _("Months to full ramp"),
    Key.ATTRITION: _("Yearly attrition"),
    Key.LEAD: _("Months from opening a role to the start"),
}


@dataclass(frozen=True)
class Assumption:
    """One input of the forecast: what the data says, what the user set, what is used."""

    key: Key
    unit: str  # the metric's unit for a target or a productivity; "months", "percent"
    measured: Decimal | None
    yours: Decimal | None
    used: Decimal | None
    source: Source
    how: Said  # how it was measured, or why there is no measure

    @property
    def label(self) -> str:
        return str(KEY_LABELS[self.key])

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


@dataclass
class Forecast:
    """One team's hiring forecast for one year."""

    team: Team
    year: int
    metric_key: str
    unit: str
    sellers: int
    assumptions: list[Assumption] = field(default_factory=list)
    plan: Plan | None = None
    missing: list[Said] = field(default_factory=list)  # why there is no plan
    saved: HiringAssumptions | None = None

    def assumption(self, key: Key) -> Assumption:
        return next(a for a in self.assumptions if a.key == key)

    @property
    def months(self) -> list[Period]:
        return year_months(self.year)


def default_year(today: dt.date) -> int:
    return today.year + 1


def offered_years(today: dt.date) -> list[int]:
    """This year (the rest of it) and the next two."""
    return [today.year, today.year + 1, today.year + 2]


def _pick(measured, yours, default=None) -> tuple[Decimal | None, Source]:
    if yours is not None:
        return Decimal(yours), Source.YOURS
    if measured is not None:
        return Decimal(measured), Source.MEASURED
    if default is not None:
        return Decimal(default), Source.DEFAULT
    return None, Source.NONE


def _target(found: Measured, saved: HiringAssumptions, year: int, unit: str):
    """(assumption, monthly targets or None)."""
    growth = Decimal(saved.growth)
    if found.goal_targets is not None:
        total = sum(found.goal_targets, ZERO)
        how = Said(gettext_noop("The sum of the team's goals for %(year)s."), {"year": year})
        measured, monthly = total, list(found.goal_targets)
    elif found.last_year:
        total = (found.last_year * (1 + growth / HUNDRED)).quantize(Decimal("0.01"))
        how = Said(
            gettext_noop(
                "The last twelve months' figure, %(actual)s, plus %(growth)s %% growth "
                "(no goals are set for %(year)s)."
            ),
            {
                "actual": format_value(found.last_year, unit),
                "growth": format_number(growth, 1),
                "year": year,
            },
        )
        measured, monthly = total, [total / 12] * 12
    else:
        how = Said(gettext_noop("No goals for the year and no figure for the last twelve months."))
        measured, monthly = None, None
    used, source = _pick(measured, saved.annual_target)
    if source == Source.YOURS:
        monthly = [used / 12] * 12
    return Assumption(Key.TARGET, unit, measured, saved.annual_target, used, source, how), monthly


def _productivity(found: Measured, saved: HiringAssumptions, unit: str) -> Assumption:
    if found.productivity is not None:
        how = Said(
            gettext_noop(
                "The median monthly figure of the team's ramped reps over the last six months "
                "(ramped reps: %(count)s)."
            ),
            {"count": found.productivity_reps},
        )
    else:
        how = Said(gettext_noop("No rep of the team has been ramped for the last six months."))
    used, source = _pick(found.productivity, saved.productivity)
    return Assumption(
        Key.PRODUCTIVITY, unit, found.productivity, saved.productivity, used, source, how
    )


def _ramp(found: Measured, saved: HiringAssumptions) -> Assumption:
    measured = found.ramp_months if found.ramp_from in ("programs", "metrics") else None
    if found.ramp_from == "programs":
        how = Said(
            gettext_noop(
                "The median time to ramp through the onboarding program (people ramped: %(count)s)."
            ),
            {"count": found.ramp_people},
        )
    elif found.ramp_from == "metrics":
        how = Said(
            gettext_noop(
                "The first month of tenure in which the recent hires reached 80 %% of a "
                "ramped rep's figure (hires: %(count)s)."
            ),
            {"count": found.ramp_people},
        )
    else:
        how = Said(
            gettext_noop(
                "Too few hires have ramped to measure it: the organisation's ramp for new "
                "hires (goal settings) is used."
            )
        )
    default = found.ramp_months if found.ramp_from == "goals" else DEFAULT_RAMP_MONTHS
    used, source = _pick(measured, saved.ramp_months, default)
    return Assumption(Key.RAMP, "months", measured, _dec(saved.ramp_months), used, source, how)


def _attrition(found: Measured, saved: HiringAssumptions) -> Assumption:
    if found.attrition is not None:
        how = Said(
            gettext_noop(
                "Reps who left the team in the last twelve months: %(leavers)s, of an average "
                "headcount of %(heads)s."
            ),
            {"leavers": found.leavers, "heads": format_number(found.average_headcount, 1)},
        )
    else:
        how = Said(gettext_noop("The team had no reps to measure it on: a default is used."))
    used, source = _pick(found.attrition, saved.attrition, DEFAULT_ATTRITION)
    return Assumption(Key.ATTRITION, "percent", found.attrition, saved.attrition, used, source, how)


def _lead(saved: HiringAssumptions) -> Assumption:
    how = Said(gettext_noop("Not in the data: how long a role takes to fill."))
    value = Decimal(saved.lead_months)
    return Assumption(Key.LEAD, "months", None, value, value, Source.YOURS, how)


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def saved_assumptions(
    org: Organisation, teams: Sequence[Team], year: int
) -> dict[int, HiringAssumptions]:
    """Team id -> its saved assumptions for the year, or an unsaved blank (one query)."""
    found = {
        a.team_id: a
        for a in HiringAssumptions.objects.filter(organisation=org, team__in=list(teams), year=year)
    }
    return {
        t.pk: found.get(t.pk) or HiringAssumptions(organisation=org, team=t, year=year)
        for t in teams
    }


def forecast_teams(
    org: Organisation, teams: Sequence[Team], year: int, today: dt.date
) -> dict[int, Forecast]:
    """Team id -> its hiring forecast for `year` (set-based: a fixed number of queries).

    Teams planning on different metrics are measured in one pass per metric.
    """
    saved = saved_assumptions(org, teams, year)
    metrics = get_metrics(org)
    by_metric: dict[str, list[Team]] = {}
    for team in teams:
        key = saved[team.pk].metric_key
        key = key if key in metrics and is_additive(metrics[key]) else DEFAULT_METRIC
        by_metric.setdefault(key, []).append(team)
    result: dict[int, Forecast] = {}
    for key, group in by_metric.items():
        guesses = {t.pk: saved[t.pk].ramp_months for t in group}
        measured = measure(org, group, year, today, key, ramp_guess=guesses)
        unit = str(metrics[key].unit)
        for team in group:
            result[team.pk] = _forecast(
                team, year, today, key, unit, measured[team.pk], saved[team.pk]
            )
    return result


def forecast(org: Organisation, team: Team, year: int, today: dt.date) -> Forecast:
    return forecast_teams(org, [team], year, today)[team.pk]


def _forecast(
    team: Team,
    year: int,
    today: dt.date,
    key: str,
    unit: str,
    found: Measured,
    saved: HiringAssumptions,
) -> Forecast:
    target, monthly = _target(found, saved, year, unit)
    productivity = _productivity(found, saved, unit)
    ramp = _ramp(found, saved)
    attrition = _attrition(found, saved)
    lead = _lead(saved)
    result = Forecast(
        team=team,
        year=year,
        metric_key=key,
        unit=unit,
        sellers=len(found.sellers),
        assumptions=[target, productivity, ramp, attrition, lead],
        saved=saved if saved.pk else None,
    )
    if monthly is None or target.used is None:
        result.missing.append(Said(gettext_noop("Set a target for the year.")))
    if not productivity.used:
        result.missing.append(Said(gettext_noop("Set the monthly figure of a fully ramped rep.")))
    if result.missing:
        return result
    months = year_months(year)
    if year == today.year:  # the months already over are history, not a plan
        keep = [i for i, m in enumerate(months) if m.end >= today]
        months, monthly = [months[i] for i in keep], [monthly[i] for i in keep]
    result.plan = plan(
        Inputs(
            months=months,
            targets=monthly,
            productivity=productivity.used,
            ramp_months=int(ramp.used),
            attrition=attrition.used,
            lead_months=int(lead.used),
            today=today,
            starts=[p.role_since for p in found.sellers],
        )
    )
    return result
