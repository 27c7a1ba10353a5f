"""Benchmark: the follow-through on the metrics benchmark's organisation (2,000 reps, 200 managers).

    .venv/bin/python bench/coaching.py [--reps 2000] [--database sqlite|postgres] [--reuse]

Builds (or, with --reuse, keeps) the organisation of bench/metrics.py, adds six months
of coaching history set-based (bulk_create): a weekly cadence for every manager-rep
pair, their 1:1s (held, missed, moved and the meetings they moved to, future ones), deal
reviews every three weeks, commitments of managers and reps, weekly self-reports, a few
"stepped in", the teams' 21-day review promise and revenue targets. Then it times:
  - one 1:1 agenda built (coaching.agenda.build_agenda(meeting); skipped with a message
    while that function does not exist),
  - the manager scorecards of all managers for a quarter (target: under 2 s),
and prints the figures and the query counts.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import metrics as metrics_bench  # noqa: E402  (bench/metrics.py: the organisation's generator)

HISTORY_START = dt.date(2025, 1, 6)  # a Monday: 26 weeks of 1:1s up to the end of June
WEEKS = 26
TODAY = dt.date(2025, 7, 1)
QUARTER = (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
REVIEW_DAYS = 21
BATCH = 5_000


def generate_coaching(seed: int = 11) -> None:
    """Six months of follow-through for every pair of the bench organisation, in bulk."""
    from django.db import transaction

    from followthrough.coaching.models import (
        Cadence,
        CoachingSettings,
        Commitment,
        Meeting,
        MeetingKind,
        SelfReport,
        SteppedIn,
    )
    from followthrough.crm.models import Deal
    from followthrough.goals.models import Goal
    from followthrough.people.models import ReportingLine, Team

    rng = random.Random(seed)
    org = metrics_bench._org()
    tz = dt.UTC
    pairs = list(
        ReportingLine.objects.filter(organisation=org, manager__isnull=False, valid_to=None)
        .order_by("person_id")
        .values_list("manager_id", "person_id")
    )
    managers = sorted({m for m, _ in pairs})
    print(f"coaching history for {len(pairs):,} pairs and {len(managers):,} managers")
    started = time.perf_counter()
    with transaction.atomic():
        cadences = Cadence.objects.bulk_create(
            [
                Cadence(
                    organisation=org,
                    manager_id=m,
                    rep_id=r,
                    weekday=index % 5,
                    time=dt.time(9 + index % 8),
                    starts_on=HISTORY_START,
                )
                for index, (m, r) in enumerate(pairs)
            ],
            batch_size=BATCH,
        )
        meetings, moved_pairs = [], []
        for cadence in cadences:
            for week in range(WEEKS + 2):
                day = HISTORY_START + dt.timedelta(weeks=week, days=cadence.weekday)
                at = dt.datetime.combine(day, cadence.time, tz)
                roll = rng.random()
                status = "scheduled"
                if day < TODAY:
                    status = "held" if roll < 0.8 else "missed" if roll < 0.9 else "moved"
                meeting = Meeting(
                    organisation=org,
                    manager_id=cadence.manager_id,
                    rep_id=cadence.rep_id,
                    cadence=cadence,
                    scheduled_at=at,
                    status=status,
                    missed_by="rep" if status == "missed" else "",
                    duration_minutes=30 if roll < 0.7 else 45,
                )
                meetings.append(meeting)
                if status == "moved":
                    moved_pairs.append(meeting)
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        Meeting.objects.bulk_create(
            [
                Meeting(
                    organisation=org,
                    manager_id=m.manager_id,
                    rep_id=m.rep_id,
                    scheduled_at=m.scheduled_at + dt.timedelta(days=1),
                    status="held",
                    moved_from=m,
                    duration_minutes=30,
                )
                for m in moved_pairs
            ],
            batch_size=BATCH,
        )
        # Deal reviews: one open deal of each rep reviewed about every three weeks.
        reps = {r for _m, r in pairs}
        manager_of = {r: m for m, r in pairs}
        deal_of: dict[int, int] = {}
        for deal_id, owner_id in (
            Deal.objects.filter(organisation=org, outcome="open", owner_id__in=reps)
            .order_by("owner_id", "-created_on")
            .values_list("pk", "owner_id")
            .iterator(chunk_size=20_000)
        ):
            deal_of.setdefault(owner_id, deal_id)
        Meeting.objects.bulk_create(
            [
                Meeting(
                    organisation=org,
                    kind=MeetingKind.DEAL_REVIEW,
                    manager_id=manager_of[r],
                    rep_id=r,
                    deal_id=deal_id,
                    scheduled_at=dt.datetime.combine(
                        HISTORY_START + dt.timedelta(days=21 * n + 2), dt.time(14), tz
                    ),
                    status="held" if rng.random() < 0.85 else "missed",
                    missed_by="",
                )
                for r, deal_id in deal_of.items()
                for n in range(WEEKS // 3)
            ],
            batch_size=BATCH,
        )
        commitments = []
        for person, count in [(m, 2) for m in managers] + [(r, 1) for r in reps]:
            for week in range(WEEKS):
                for k in range(count):
                    made = HISTORY_START + dt.timedelta(weeks=week)
                    due = made + dt.timedelta(days=7 + k)
                    roll = rng.random()
                    done = due < TODAY and roll < 0.75
                    commitments.append(
                        Commitment(
                            organisation=org,
                            owner_id=person,
                            text="Bench commitment",
                            created_on=made,
                            due_on=due,
                            status="done" if done else ("missed" if due < TODAY else "open"),
                            closed_on=due - dt.timedelta(days=1 if roll < 0.6 else -2)
                            if done
                            else None,
                            evidence="bench" if done else "",
                        )
                    )
        Commitment.objects.bulk_create(commitments, batch_size=BATCH)
        reports = []
        for r in reps:
            for week in range(WEEKS):
                start = HISTORY_START + dt.timedelta(weeks=week)
                due = start + dt.timedelta(days=4)
                submitted = rng.random() < 0.85
                reviewed = submitted and rng.random() < 0.7
                reports.append(
                    SelfReport(
                        organisation=org,
                        rep_id=r,
                        period_start=start,
                        period_end=start + dt.timedelta(days=6),
                        due_on=due,
                        submitted_at=dt.datetime.combine(due, dt.time(16), tz)
                        if submitted
                        else None,
                        reviewed_at=dt.datetime.combine(due + dt.timedelta(days=2), dt.time(9), tz)
                        if reviewed
                        else None,
                        reviewed_by_id=manager_of[r] if reviewed else None,
                    )
                )
        SelfReport.objects.bulk_create(reports, batch_size=BATCH)
        SteppedIn.objects.bulk_create(
            [
                SteppedIn(
                    organisation=org,
                    manager_id=manager_of[r],
                    rep_id=r,
                    deal_id=deal_id,
                    on=HISTORY_START + dt.timedelta(days=rng.randrange(WEEKS * 7)),
                )
                for r, deal_id in deal_of.items()
                if rng.random() < 0.1
            ]
        )
        teams = list(Team.objects.filter(organisation=org, parent__isnull=False))
        CoachingSettings.objects.bulk_create(
            [
                CoachingSettings(team=t, organisation=org, deal_review_days=REVIEW_DAYS)
                for t in teams
            ]
        )
        Goal.objects.bulk_create(
            [
                Goal(
                    organisation=org,
                    team=t,
                    metric_key="revenue_won",
                    period_kind="quarter",
                    start=QUARTER[0],
                    end=QUARTER[1],
                    target=9_000_000,
                )
                for t in teams
            ]
        )
    counts = {
        "meetings": Meeting.objects.filter(organisation=org).count(),
        "commitments": Commitment.objects.filter(organisation=org).count(),
        "self-reports": SelfReport.objects.filter(organisation=org).count(),
    }
    print(
        f"  generated in {time.perf_counter() - started:,.1f}s: "
        + ", ".join(f"{n:,} {what}" for what, n in counts.items())
    )


def count_queries(func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = func()
    return result, len(captured)


def measure() -> None:
    from followthrough.coaching.managerscore import FIGURES, manager_scorecards
    from followthrough.coaching.models import Meeting
    from followthrough.lib.periods import Period, PeriodKind
    from followthrough.people.models import Person, Role

    org = metrics_bench._org()
    print(f"\nmeasuring (load average {metrics_bench._load()})")

    try:
        from followthrough.coaching.agenda import build_agenda
    except ImportError:
        print("  one 1:1 agenda: SKIPPED (coaching.agenda.build_agenda does not exist yet)")
    else:
        meeting = (
            Meeting.objects.filter(organisation=org, kind="one_on_one", status="scheduled")
            .order_by("scheduled_at", "pk")
            .first()
        )
        _agenda, queries = count_queries(lambda: build_agenda(meeting))
        timing = metrics_bench.best_of(5, lambda: build_agenda(meeting))
        print(f"  one 1:1 agenda: {timing.ms(1)}, {queries} queries (target: under 100 ms)")

    manager_ids = list(
        Person.objects.filter(organisation=org, role=Role.MANAGER).values_list("pk", flat=True)
    )
    quarter = Period(*QUARTER, kind=PeriodKind.QUARTER)
    cards, queries = count_queries(lambda: manager_scorecards(org, manager_ids, quarter, TODAY))
    timing = metrics_bench.best_of(3, lambda: manager_scorecards(org, manager_ids, quarter, TODAY))
    print(
        f"  manager scorecards of {len(manager_ids)} managers for {quarter.key}: "
        f"{timing.ms()}, {queries} queries (target: under 2,000 ms)"
    )
    sample = cards[min(cards)]
    print(f"  {sample.manager.name}, {len(sample.rep_ids)} reps:")
    for key in FIGURES:
        figure = sample[key]
        value = "—" if figure.value is None else f"{float(figure.value):,.3f}"
        print(
            f"    {key:14} {value:>10}  ({figure.numerator:,} / "
            f"{'—' if figure.denominator is None else f'{figure.denominator:,.2f}'}) {figure.note}"
        )


def main() -> None:
    args = metrics_bench.organisation_arguments(__doc__.split("\n")[0], "coaching")

    metrics_bench.open_database(args)
    from followthrough.coaching.models import Meeting
    from followthrough.metrics import rollups
    from followthrough.people.models import Organisation

    if not Organisation.objects.filter(slug=metrics_bench.ORG_SLUG).exists():
        metrics_bench.generate(args.reps / 2000)
        started = time.perf_counter()
        count = rollups.rebuild(metrics_bench._org().pk, bulk=True)
        print(f"rollups built: {count:,} rows in {time.perf_counter() - started:,.0f}s")
        metrics_bench.vacuum()
    if not Meeting.objects.filter(organisation=metrics_bench._org()).exists():
        generate_coaching()
        metrics_bench.vacuum()
    measure()


if __name__ == "__main__":
    main()
