"""Where each enrolment stands: milestone states, metric milestones reached, time to ramp.

A milestone is due `due_day` days after the enrolment's start. Its state on a day:
done (completed on or before its due date), done late (completed after it), due (not
done, due date today or later) or late (not done, due date passed).

Metric milestones complete themselves: `sync_metric_milestones` finds, for every
enrolment at once, the first day on which the metric counted from the start reached the
target, and records that day as a MilestoneCompletion (idempotent: a milestone already
recorded is left as it is, so a reached milestone stays reached). Pages call it for the
enrolments they show, and a daily job (programs/tasks.py) for everyone. Query budget: one
query for the open metric milestones, one grouped query per metric over the facts
(daily values per person), one for the completions written.
"""

from __future__ import annotations

import datetime as dt
import enum
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet, Sum

from followthrough.metrics.definitions import SOURCES
from followthrough.metrics.engine import as_decimal
from followthrough.metrics.models import Metric
from followthrough.metrics.reading import fact_condition, measure_expression
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person
from followthrough.programs.models import (
    Enrolment,
    EnrolmentStatus,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
)


class State(enum.StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    DUE = "due"
    LATE = "late"


def due_date(start: dt.date, milestone: Milestone) -> dt.date:
    return start + dt.timedelta(days=milestone.due_day)


def state_of(due: dt.date, done_on: dt.date | None, today: dt.date) -> State:
    if done_on is not None:
        return State.DONE if done_on <= due else State.DONE_LATE
    return State.DUE if due >= today else State.LATE


def phase_of(due_day: int) -> int:
    """The 30/60/90 group a milestone falls in: 30, 60, 90, or 0 for after day 90."""
    for limit in (30, 60, 90):
        if due_day <= limit:
            return limit
    return 0


@dataclass
class Step:
    """One milestone of one enrolment, as a page shows it."""

    milestone: Milestone
    due: dt.date
    state: State
    completion: MilestoneCompletion | None

    @property
    def is_done(self) -> bool:
        return self.completion is not None


@dataclass
class Progress:
    enrolment: Enrolment
    steps: list[Step] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(step.is_done for step in self.steps)

    @property
    def late(self) -> int:
        return sum(step.state == State.LATE for step in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    def step(self, milestone_id: int) -> Step | None:
        return next((s for s in self.steps if s.milestone.pk == milestone_id), None)


def visible_enrolments(viewer: Person) -> QuerySet[Enrolment]:
    """Enrolments of the people `viewer` may see (themself, their line; an admin: all)."""
    ids = access.visible_person_ids(viewer)
    rows = Enrolment.objects.filter(organisation_id=viewer.organisation_id)
    return rows if ids is None else rows.filter(person_id__in=ids)


def progress_of(enrolments: Sequence[Enrolment], today: dt.date) -> list[Progress]:
    """Each enrolment's steps in due order: two queries whatever the number of enrolments."""
    program_ids = {e.program_id for e in enrolments}
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in (
        Milestone.objects.filter(program_id__in=program_ids)
        .select_related("template")
        .order_by("due_day", "position", "pk")
    ):
        milestones[milestone.program_id].append(milestone)
    done: dict[tuple[int, int], MilestoneCompletion] = {
        (c.enrolment_id, c.milestone_id): c
        for c in MilestoneCompletion.objects.filter(
            enrolment_id__in=[e.pk for e in enrolments]
        ).select_related("signed_off_by", "assessment")
    }
    result = []
    for enrolment in enrolments:
        steps = []
        for milestone in milestones[enrolment.program_id]:
            due = due_date(enrolment.start, milestone)
            completion = done.get((enrolment.pk, milestone.pk))
            state = state_of(due, completion.done_on if completion else None, today)
            steps.append(Step(milestone, due, state, completion))
        result.append(Progress(enrolment, steps))
    return result


# Metric milestones


def daily_values(
    org: Organisation,
    metric: Metric,
    person_ids: Iterable[int],
    since: dt.date,
    until: dt.date,
) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Person id -> [(day, value that day)] in day order: one grouped query over the facts."""
    spec = SOURCES[metric.source]
    day_field = spec.dates[metric.date_basis]
    measure = measure_expression(metric)
    owner = spec.owner.removesuffix("_id") if spec.owner.endswith("__owner_id") else spec.owner
    rows = (
        spec.model.objects.filter(
            fact_condition(metric, until),
            organisation=org,
            **{
                f"{spec.owner}__in": list(person_ids),
                f"{day_field}__gte": since,
                f"{day_field}__lte": until,
            },
        )
        .values(owner, day_field)
        .annotate(value=Count("pk") if measure is None else Sum(measure))
        .order_by(day_field)
    )
    found: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for row in rows:
        found[row[owner]].append((row[day_field], as_decimal(row["value"])))
    return found


def reached_on(
    values: Sequence[tuple[dt.date, Decimal]], start: dt.date, target: Decimal
) -> dt.date | None:
    """The first day on which the running total from `start` reaches `target`."""
    total = Decimal(0)
    for day, value in values:
        if day < start:
            continue
        total += value
        if total >= target:
            return day
    return None


@transaction.atomic
def sync_metric_milestones(
    org: Organisation,
    enrolments: Iterable[Enrolment] | None = None,
    today: dt.date | None = None,
) -> list[MilestoneCompletion]:
    """Record the metric milestones reached in the CRM data (for `enrolments`, else all active)."""
    today = today or today_for(org)
    if enrolments is None:
        scope = list(
            Enrolment.objects.filter(organisation=org).exclude(status=EnrolmentStatus.WITHDRAWN)
        )
    else:
        scope = [e for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN]
    if not scope:
        return []
    by_id = {e.pk: e for e in scope}
    milestones = list(
        Milestone.objects.filter(
            program_id__in={e.program_id for e in scope}, kind=MilestoneKind.METRIC
        )
    )
    if not milestones:
        return []
    recorded = set(
        MilestoneCompletion.objects.filter(
            enrolment_id__in=by_id, milestone__kind=MilestoneKind.METRIC
        ).values_list("enrolment_id", "milestone_id")
    )
    open_pairs: dict[str, list[tuple[Enrolment, Milestone]]] = defaultdict(list)
    for enrolment in scope:
        for milestone in milestones:
            if milestone.program_id != enrolment.program_id:
                continue
            if (enrolment.pk, milestone.pk) not in recorded and enrolment.start <= today:
                open_pairs[milestone.metric_key].append((enrolment, milestone))
    from followthrough.goals.catalog import metrics_of

    known = metrics_of(org)
    made = []
    for metric_key, pairs in open_pairs.items():
        if metric_key not in known:
            continue
        since = min(e.start for e, _m in pairs)
        values = daily_values(
            org, known[metric_key], {e.person_id for e, _m in pairs}, since, today
        )
        for enrolment, milestone in pairs:
            day = reached_on(values.get(enrolment.person_id, []), enrolment.start, milestone.target)
            if day is not None:
                made.append(
                    MilestoneCompletion(
                        organisation_id=org.pk,
                        enrolment=enrolment,
                        milestone=milestone,
                        done_on=day,
                    )
                )
    # One by one: each completion is in the audit history (signals), and they are few.
    for completion in made:
        completion.save()
    if made:
        from followthrough.programs.enrolments import finish_if_complete

        for enrolment_id in {c.enrolment_id for c in made}:
            finish_if_complete(by_id[enrolment_id])
    return made


# Time to ramp


def ramp_milestone(milestones: Sequence[Milestone]) -> Milestone | None:
    """The milestone that says a person is ramped: the program's last metric milestone."""
    metric = [m for m in milestones if m.kind == MilestoneKind.METRIC]
    return max(metric, key=lambda m: (m.due_day, m.position, m.pk)) if metric else None


def cohort_of(start: dt.date) -> dt.date:
    """A cohort is the calendar quarter the enrolment started in (its first day)."""
    return dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Ramp:
    """One person's time to ramp in one program."""

    enrolment: Enrolment
    cohort: dt.date
    ramped_on: dt.date | None
    days_so_far: int

    @property
    def days(self) -> int | None:
        return (self.ramped_on - self.enrolment.start).days if self.ramped_on else None


@dataclass(frozen=True)
class Cohort:
    start: dt.date
    people: list[Ramp]

    @property
    def ramped(self) -> list[Ramp]:
        return [r for r in self.people if r.ramped_on is not None]

    @property
    def median_days(self) -> float | None:
        days = [r.days for r in self.ramped]
        return statistics.median(days) if days else None


def time_to_ramp(
    org: Organisation,
    *,
    person_ids: Iterable[int] | None = None,
    program_id: int | None = None,
    today: dt.date | None = None,
) -> list[Cohort]:
    """Time to ramp by cohort (start quarter), oldest first: days from the start to
    completing the program's last metric milestone (all milestones when it has none).

    Read by the diagnostics' hiring forecast. Three queries; people not yet ramped are
    listed with `ramped_on` None and the days since their start.
    """
    today = today or today_for(org)
    rows = Enrolment.objects.filter(organisation=org).exclude(status=EnrolmentStatus.WITHDRAWN)
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    enrolments = list(rows.select_related("person", "program").order_by("start", "person__name"))
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for m in Milestone.objects.filter(program_id__in={e.program_id for e in enrolments}):
        milestones[m.program_id].append(m)
    done: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for enrolment_id, milestone_id, day in MilestoneCompletion.objects.filter(
        enrolment_id__in=[e.pk for e in enrolments]
    ).values_list("enrolment_id", "milestone_id", "done_on"):
        done[enrolment_id][milestone_id] = day
    cohorts: dict[dt.date, list[Ramp]] = defaultdict(list)
    for enrolment in enrolments:
        steps = milestones[enrolment.program_id]
        marker = ramp_milestone(steps)
        finished = done[enrolment.pk]
        if marker is not None:
            ramped_on = finished.get(marker.pk)
        elif steps and all(m.pk in finished for m in steps):
            ramped_on = max(finished.values())
        else:
            ramped_on = None
        cohort = cohort_of(enrolment.start)
        so_far = max(0, (today - enrolment.start).days)
        cohorts[cohort].append(Ramp(enrolment, cohort, ramped_on, so_far))
    return [Cohort(start, people) for start, people in sorted(cohorts.items())]
