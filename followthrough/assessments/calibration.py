"""Calibration: does the same rubric mean the same to every manager?

For a period and per competency, each manager's ratings (standing manager assessments
of the reps below the viewer whose cycle starts in the period) as a distribution over
the levels, their mean level (levels indexed 0..n-1, lowest first), beside the rated
reps' figure on the competency's metric over each assessment's cycle.

The metric-suggested level: the ratings of a competency, across every manager
compared, are ranked by the rated rep's metric (best last; ties share the mean of
their places) and cut into n equal groups, n the number of levels: the lowest third of
the figures suggests the lowest level, and so on. A manager's gap is the mean of their
ratings minus the mean of the levels their reps' figures suggest, over the ratings
that have a figure. docs/metrics.md ("Calibration") defines every figure.

The arithmetic (`suggested_levels`, `calibrate`) is pure and tested by hand; `gather`
reads the database in a constant number of set-based queries, whatever the number
of managers, reps and ratings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from followthrough.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Competency,
    Rating,
    ScorecardTemplate,
)
from followthrough.lib.periods import Period, PeriodKind, period_of, shift
from followthrough.metrics import engine
from followthrough.people import access
from followthrough.people.models import Person

# Three quarters of a level: with three levels, a manager whose reps' figures say
# "meets" on average but who rates them between "meets" and "exceeds" is not flagged
# (a quarter to a half level of honest difference is noise), one who rates them almost
# a whole level higher is.
FLAG_GAP = Decimal("0.75")
# Fewer ratings than this say more about the reps than about the manager: one or two
# strong reps rated high is not a habit.
MIN_RATINGS = 3
ABOVE, BELOW = "above", "below"
HUNDRED = Decimal(100)


# --- Pure arithmetic --------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    """One manager rating of one rep on one competency, with the rep's figure on its metric."""

    manager_id: int
    rep_id: int
    competency_id: int
    level_index: int
    levels: int
    metric: Decimal | None = None


def suggested_levels(
    values: Sequence[Decimal], levels: Sequence[int], higher_is_better: bool = True
) -> list[int]:
    """The metric-suggested level index of each value among all of them.

    Values are ranked worst first (0-based places; tied values share the mean of
    their places); place p of m with n levels suggests floor(p × n / m), at most n-1.
    """
    m = len(values)
    if m == 0:
        return []
    order = sorted(range(m), key=lambda i: values[i], reverse=not higher_is_better)
    place: dict[int, Decimal] = {}
    start = 0
    while start < m:
        end = start
        while end + 1 < m and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = Decimal(start + end) / 2
        for i in order[start : end + 1]:
            place[i] = shared
        start = end + 1
    return [min(levels[i] - 1, int(place[i] * levels[i] // m)) for i in range(m)]


def _mean(numbers: Sequence) -> Decimal | None:
    return Decimal(sum(numbers)) / len(numbers) if numbers else None


def _flag(gap: Decimal | None, compared: int) -> str:
    if gap is None or compared < MIN_RATINGS or abs(gap) < FLAG_GAP:
        return ""
    return ABOVE if gap > 0 else BELOW


@dataclass(frozen=True)
class ManagerRow:
    """One manager's ratings of one competency (or, with competency None, of all of them)."""

    manager_id: int | None  # None: every manager together
    counts: tuple[int, ...]
    mean_level: Decimal | None
    compared: int = 0  # ratings whose rep has a figure on the metric
    mean_rated: Decimal | None = None  # mean level over those ratings
    mean_suggested: Decimal | None = None
    mean_metric: Decimal | None = None
    gap: Decimal | None = None
    flag: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def shares(self) -> tuple[Decimal, ...]:
        """Each level's share of the ratings, in per cent."""
        total = self.total
        return tuple(HUNDRED * c / total if total else Decimal(0) for c in self.counts)


@dataclass(frozen=True)
class CompetencyCalibration:
    competency_id: int
    levels: int
    rows: list[ManagerRow]  # one per manager, in the order given
    everyone: ManagerRow


@dataclass(frozen=True)
class Calibration:
    competencies: list[CompetencyCalibration]
    overall: list[ManagerRow]  # per manager across competencies (counts empty)
    suggested: dict[int, int] = field(default_factory=dict)  # observation index -> level


def _row(manager_id, obs: list[Observation], suggested: dict[int, int], n: int, ids) -> ManagerRow:
    counts = [0] * n
    for o in obs:
        counts[min(o.level_index, n - 1)] += 1
    compared = [(o, suggested[i]) for o, i in zip(obs, ids, strict=True) if i in suggested]
    mean_rated = _mean([o.level_index for o, _s in compared])
    mean_suggested = _mean([s for _o, s in compared])
    gap = mean_rated - mean_suggested if compared else None
    return ManagerRow(
        manager_id=manager_id,
        counts=tuple(counts),
        mean_level=_mean([o.level_index for o in obs]),
        compared=len(compared),
        mean_rated=mean_rated,
        mean_suggested=mean_suggested,
        mean_metric=_mean([o.metric for o, _s in compared]),
        gap=gap,
        flag=_flag(gap, len(compared)) if manager_id is not None else "",
    )


def calibrate(
    observations: Sequence[Observation],
    levels: dict[int, int],
    higher_is_better: dict[int, bool] | None = None,
    managers: Sequence[int] | None = None,
) -> Calibration:
    """Distributions, means, suggested levels, gaps and flags, per competency and overall.

    `levels`: competency id -> number of levels (the columns of its distribution), in the
    order competencies are shown; `managers`: the order of the rows (else by id).
    """
    higher_is_better = higher_is_better or {}
    by_competency: dict[int, list[int]] = defaultdict(list)
    for index, o in enumerate(observations):
        by_competency[o.competency_id].append(index)
    suggested: dict[int, int] = {}
    for competency_id, indexes in by_competency.items():
        with_figure = [i for i in indexes if observations[i].metric is not None]
        found = suggested_levels(
            [observations[i].metric for i in with_figure],
            [observations[i].levels for i in with_figure],
            higher_is_better.get(competency_id, True),
        )
        suggested.update(zip(with_figure, found, strict=True))
    order = list(managers) if managers is not None else sorted({o.manager_id for o in observations})
    results = []
    for competency_id, n in levels.items():
        indexes = by_competency.get(competency_id, [])
        if not indexes:
            continue
        rows = []
        for manager_id in order:
            mine = [i for i in indexes if observations[i].manager_id == manager_id]
            if mine:
                rows.append(_row(manager_id, [observations[i] for i in mine], suggested, n, mine))
        everyone = _row(None, [observations[i] for i in indexes], suggested, n, indexes)
        results.append(CompetencyCalibration(competency_id, n, rows, everyone))
    overall = []
    for manager_id in order:
        mine = [i for i, o in enumerate(observations) if o.manager_id == manager_id]
        if mine:
            row = _row(manager_id, [observations[i] for i in mine], suggested, 1, mine)
            overall.append(
                ManagerRow(
                    manager_id,
                    (),
                    row.mean_level,
                    row.compared,
                    row.mean_rated,
                    row.mean_suggested,
                    None,  # figures of different metrics do not average
                    row.gap,
                    row.flag,
                )
            )
    return Calibration(results, overall, suggested)


# --- Periods ------------------------------------------------------------------------

# How many quarters the page offers to look back.
QUARTERS_OFFERED = 6


def quarters(today: dt.date) -> list[Period]:
    """The current quarter and the ones before it, newest first."""
    current = period_of(PeriodKind.QUARTER, today)
    return [shift(current, -i) for i in range(QUARTERS_OFFERED)]


# --- Reading the database -----------------------------------------------------------


@dataclass(frozen=True)
class Gathered:
    """What the page needs: the observations and the rows they refer to."""

    observations: list[Observation]
    competencies: list[Competency]  # those rated, in rubric order
    level_labels: dict[int, list[str]]  # competency id -> its level labels (stored text)
    managers: list[Person]  # in name order
    metric_names: dict[str, str]  # metric key -> label
    metric_units: dict[str, str]


def manager_ratings(viewer: Person, period: Period):
    """Ratings of standing manager assessments of the reps below the viewer, cycle starting in the period."""
    rows = Rating.objects.filter(
        organisation_id=viewer.organisation_id,
        assessment__kind=AssessmentKind.MANAGER,
        assessment__status=AssessmentStatus.SUBMITTED,
        assessment__cycle_start__range=(period.start, period.end),
    )
    ids = access.visible_person_ids(viewer)
    if ids is not None:
        rows = rows.filter(assessment__rep_id__in=ids - {viewer.pk})
    return rows


def has_ratings(viewer: Person, period: Period) -> bool:
    return manager_ratings(viewer, period).exists()


def gather(viewer: Person, period: Period) -> Gathered:
    """The period's observations in seven queries (and the engine's own, set-based)."""
    org = viewer.organisation
    found = list(
        manager_ratings(viewer, period).values_list(
            "assessment__rater_id",
            "assessment__rep_id",
            "competency_id",
            "level",
            "assessment__template_id",
            "assessment__cycle_start",
            "assessment__cycle_end",
        )
    )
    templates = {
        t.pk: t.level_keys
        for t in ScorecardTemplate.objects.filter(pk__in={row[4] for row in found})
    }
    competencies = list(
        Competency.objects.filter(pk__in={row[2] for row in found})
        .select_related("section__rubric")
        .order_by("section__rubric_id", "section__position", "section_id", "position", "pk")
    )
    by_id = {c.pk: c for c in competencies}
    catalog = engine.get_metrics(org)
    keys = sorted({c.metric_key for c in competencies if c.metric_key in catalog})
    cycles = sorted({(row[5], row[6]) for row in found})
    periods = {cycle: Period(cycle[0], cycle[1]) for cycle in cycles}
    figures = (
        engine.compute(org, keys, list(periods.values()), {row[1] for row in found})
        if keys and found
        else None
    )
    observations = []
    for manager_id, rep_id, competency_id, level, template_id, start, end in found:
        competency = by_id[competency_id]
        rubric_keys = competency.section.rubric.level_keys
        own = templates.get(template_id, rubric_keys)
        index = (
            rubric_keys.index(level)
            if level in rubric_keys
            else own.index(level)
            if level in own
            else 0
        )
        metric = None
        if figures is not None and competency.metric_key in catalog:
            metric = figures.get(rep_id, competency.metric_key, periods[(start, end)]).value
        observations.append(
            Observation(manager_id, rep_id, competency_id, index, len(rubric_keys), metric)
        )
    managers = list(Person.objects.filter(pk__in={row[0] for row in found}).order_by("name", "pk"))
    return Gathered(
        observations=observations,
        competencies=competencies,
        level_labels={c.pk: [lv["label"] for lv in c.section.rubric.levels] for c in competencies},
        managers=managers,
        metric_names={key: catalog[key].label for key in keys},
        metric_units={key: str(catalog[key].unit) for key in keys},
    )


def calibration_for(viewer: Person, period: Period) -> tuple[Gathered, Calibration]:
    """What the calibration page shows `viewer` for `period`: the data and its figures."""
    gathered = gather(viewer, period)
    catalog = engine.get_metrics(viewer.organisation)
    better = {
        c.pk: catalog[c.metric_key].higher_is_better if c.metric_key in catalog else True
        for c in gathered.competencies
    }
    result = calibrate(
        gathered.observations,
        {c.pk: len(gathered.level_labels[c.pk]) for c in gathered.competencies},
        better,
        [p.pk for p in gathered.managers],
    )
    return gathered, result


def standing_assessments(viewer: Person, period: Period):
    """The assessments behind the figures (for a count on the page)."""
    return Assessment.objects.filter(pk__in=manager_ratings(viewer, period).values("assessment_id"))
