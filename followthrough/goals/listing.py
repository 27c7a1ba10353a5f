"""Filtering a list of goals: by person, team, metric, period and a search, for page and API.

Both the /goals/ page and GET /api/v1/goals/ read the same parameters through
filter_goals, so a link and an API call with the same query select the same goals.
Unreadable values select nothing rather than fail (an id past 2**63 included).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from followthrough.goals.periodkeys import parse_period_key
from followthrough.lib.ids import parse_id
from followthrough.lib.periods import Period


@dataclass(frozen=True)
class GoalQuery:
    """The filters read from a request's query string, as typed."""

    person: str = ""
    team: str = ""
    metric: str = ""
    period: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> GoalQuery:
        return cls(**{name: params.get(name, "").strip()[:200] for name in cls.__annotations__})

    @property
    def active(self) -> bool:
        return any((self.person, self.team, self.metric, self.period, self.q))


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer: only people, teams, metrics and periods that have goals."""

    people: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    metrics: list[tuple[str, str]]
    periods: list[Period]


def filter_choices(visible: QuerySet, metrics: dict, fiscal: int = 1) -> FilterChoices:
    """Four queries, however many goals."""
    people = (
        visible.filter(person__isnull=False)
        .values_list("person_id", "person__name")
        .distinct()
        .order_by("person__name", "person_id")
    )
    teams = (
        visible.filter(team__isnull=False)
        .values_list("team_id", "team__name")
        .distinct()
        .order_by("team__name", "team_id")
    )
    keys = set(visible.values_list("metric_key", flat=True).distinct().order_by())
    named = [(key, metrics[key].label if key in metrics else key) for key in keys]
    spans = visible.values_list("period_kind", "start", "end").distinct().order_by("-start", "end")
    periods = [
        Period(start, end, kind, start.month if kind == "fiscal_year" else fiscal)
        for kind, start, end in spans
    ]
    return FilterChoices(
        list(people),
        list(teams),
        sorted(named, key=lambda choice: choice[1].lower()),
        periods,
    )


def filter_goals(goals: QuerySet, query: GoalQuery, metrics: dict, fiscal: int = 1) -> QuerySet:
    """`goals` narrowed to the query; `metrics` (key -> Metric) lets a search find names."""
    if query.person:
        goals = goals.filter(person_id=parse_id(query.person) or 0)
    if query.team:
        goals = goals.filter(team_id=parse_id(query.team) or 0)
    if query.metric:
        goals = goals.filter(metric_key=query.metric)
    if query.period:
        try:
            period = parse_period_key(query.period, fiscal)
        except (ValueError, OverflowError):
            return goals.none()
        goals = goals.filter(start=period.start, end=period.end)
    if query.q:
        text = query.q.lower()
        keys = [
            key
            for key, metric in metrics.items()
            if text in key.lower() or text in str(getattr(metric, "label", metric.name)).lower()
        ]
        goals = goals.filter(
            Q(person__name__icontains=query.q)
            | Q(team__name__icontains=query.q)
            | Q(note__icontains=query.q)
            | Q(metric_key__in=keys)
        )
    return goals
