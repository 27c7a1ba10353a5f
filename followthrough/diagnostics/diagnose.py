"""The whole organisation's early warnings in one run: the nightly job, `followthrough
diagnose`, and the admin's "Run now". It writes today's hygiene scores (the history the
hygiene chart reads) and a summary of what it found; pages compute their own figures.

Each step is one set-based computation over everyone (a fixed number of queries
whatever the organisation's size); bench/diagnostics.py times them.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections
from django.utils import timezone

from followthrough.diagnostics import hygiene, integrity, projection, three_rights
from followthrough.diagnostics.models import Run, RunStatus
from followthrough.diagnostics.stage_order import stage_order
from followthrough.lib.periods import PeriodKind, period_of, shift
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person, Role, Team

# A run still "running" after this long was left by a worker that died.
STALLED = dt.timedelta(hours=1)

Step = Callable[[str, int, int], None]

STEPS = ("people", "three rights", "projection", "hygiene and integrity", "hygiene history")


def last_complete_month(today: dt.date):
    return shift(period_of(PeriodKind.MONTH, today), -1)


def request_run(org: Organisation, by: Person | None = None) -> Run:
    """A queued run, handed to a worker once the current transaction commits."""
    from followthrough.diagnostics.tasks import queue

    abandon_stalled(org)
    live = Run.objects.filter(
        organisation=org, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ).first()
    if live is not None:
        return live
    run = Run.objects.create(
        organisation=org, requested_by=by, day=today_for(org), total=len(STEPS)
    )
    queue(run)
    return run


def abandon_stalled(org: Organisation) -> int:
    """Mark runs whose worker died (still running long after they started) as failed."""
    cutoff = timezone.now() - STALLED
    return Run.objects.filter(
        organisation=org, status=RunStatus.RUNNING, started_at__lt=cutoff
    ).update(
        status=RunStatus.FAILED,
        error="The run's worker stopped before the run finished; nothing was kept.",
        finished_at=timezone.now(),
    )


def perform(run: Run, progress: Step | None = None) -> Run:
    """Run every step for the run's organisation and day; the run records its progress."""

    def step(name: str, done: int) -> None:
        Run.objects.filter(pk=run.pk).update(step=name, done=done, total=len(STEPS))
        if progress is not None:
            progress(name, done, len(STEPS))

    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), total=len(STEPS)
    )
    started = time.monotonic()
    try:
        summary = diagnose(run.organisation, run.day, step)
    except Exception:
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error=traceback.format_exc(limit=5), finished_at=timezone.now()
        )
        raise
    summary["seconds"] = round(time.monotonic() - started, 2)
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        step="",
        done=len(STEPS),
        summary=summary,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def diagnose(org: Organisation, today: dt.date, step: Callable[[str, int], None]) -> dict:
    """Every rule for everyone; returns the counts the run keeps.

    Two independent halves: the three rights and the projection (the metric figures and
    new-business deals), and hygiene and integrity (open deals and their history). On a
    database other connections can read, the second half runs on a thread of its own: each
    half spends much of its time waiting on its queries, so the two overlap.
    """
    step(STEPS[0], 0)
    reps = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).order_by("pk")
    )
    ids = [p.pk for p in reps]
    month = last_complete_month(today)

    def deal_rules() -> tuple[dict, dict]:
        # The stage order read once for both deal rules, on their side: the three rights
        # and the projection do not wait for it.
        order = stage_order(org, today)
        # Hygiene as counts only: the run keeps no deal's issues, only each person's numbers.
        return hygiene.tally(org, ids, today, order), integrity.review(org, ids, today, order)

    with ThreadPoolExecutor(max_workers=1) as pool:
        side = pool.submit(_own_connection, deal_rules) if _can_share(connection) else None
        # The projection's facts as of today, read once: right time judges last month on
        # them as they were known at its end, and the teams' projections on all of them.
        facts = projection.gather(org, ids, today)
        step(STEPS[1], 1)
        rights = three_rights.assess(org, reps, month, today, facts)
        counts: dict[str, Counter] = {"thing": Counter(), "way": Counter(), "time": Counter()}
        for found in rights.values():
            for key in counts:
                counts[key][str(getattr(found, key).status)] += 1
        del rights
        step(STEPS[2], 2)
        teams = list(Team.objects.filter(organisation=org))
        projected = len(projection.project_teams(org, teams, today, facts=facts))
        del facts
        step(STEPS[3], 3)
        kept, prompts = side.result() if side is not None else deal_rules()
    step(STEPS[4], 4)
    scores = hygiene.save_scores(org, {today: kept})
    return {
        "month": month.key,
        "people": len(reps),
        "rights": {key: dict(counter) for key, counter in counts.items()},
        "teams_projected": projected,
        "hygiene_issues": sum(rep.issues for rep in kept.values()),
        "people_with_hygiene_issues": sum(1 for rep in kept.values() if rep.issues),
        "integrity_signals": sum(len(rep.signals) for rep in prompts.values()),
        # Flagged: signals out of proportion to the person's deals (docs/diagnostics.md).
        "people_with_integrity_signals": sum(1 for rep in prompts.values() if rep.flagged),
        "hygiene_scores": scores,
    }


def _can_share(conn) -> bool:
    """Can another connection read what this one sees? Not inside a transaction (its
    writes are not yet visible to others: tests, a run inside a request's atomic block)
    nor in a private in-memory SQLite database."""
    if conn.in_atomic_block:
        return False
    return not (conn.vendor == "sqlite" and conn.is_in_memory_db())


def _own_connection(func):
    """Run `func` on this thread's own database connection, closed when done."""
    try:
        return func()
    finally:
        connections.close_all()


def run_now(org: Organisation, today: dt.date | None = None, progress: Step | None = None) -> Run:
    """A run done in this process (the command line, the demo, tests)."""
    run = Run.objects.create(organisation=org, day=today or today_for(org), total=len(STEPS))
    return perform(run, progress)
