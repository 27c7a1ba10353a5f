"""A small coaching history of Maya (Alpha) for March 2025, built by hand for the manager
scorecard tests: every figure below is computed by hand in test_manager_scorecard.py."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from followthrough.coaching.models import (
    CoachingSettings,
    Commitment,
    Meeting,
    MeetingKind,
    SelfReport,
    SteppedIn,
)
from followthrough.goals.models import Goal
from followthrough.lib.periods import Period, PeriodKind
from tests.metrics.helpers import deal

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MARCH = Period(dt.date(2025, 3, 1), dt.date(2025, 3, 31), PeriodKind.MONTH)
TODAY = dt.date(2025, 3, 20)


def at(day: str, hour: int = 10, minute: int = 0, tz=AMSTERDAM) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tz)


def build_history(case) -> None:
    """Maya's (and a little of Otto's) March 2025 on the cast of tests/cast.py."""
    org = case.org
    org.timezone = "Europe/Amsterdam"
    org.save()
    maya, rita, rob = case.manager, case.rep, case.rep2

    def meeting(rep, when, status="held", minutes=30, manager=maya, **extra):
        return Meeting.objects.create(
            organisation=org,
            manager=manager,
            rep=rep,
            scheduled_at=when,
            status=status,
            duration_minutes=minutes,
            **extra,
        )

    # 1:1s: held 4 (one at 00:30 on 1 March local), missed 1, moved 1 (counted by the
    # meeting it moved to), not recorded after its day 1, in the future 2.
    case.m_held = meeting(rita, at("2025-03-03"))
    meeting(rob, at("2025-03-04"), minutes=45)
    meeting(rita, at("2025-03-10"), status="missed", missed_by="rep")
    moved = meeting(rob, at("2025-03-11"), status="moved")
    meeting(rob, at("2025-03-12"), moved_from=moved)
    case.m_unrecorded = meeting(rita, at("2025-03-17"), status="scheduled")
    meeting(rita, at("2025-03-24"), status="scheduled")
    meeting(rita, at("2025-02-28", 23, 30, dt.UTC), minutes=60)  # 1 March, 00:30 local
    meeting(rob, at("2025-03-31", 22, 30, dt.UTC), status="scheduled")  # 1 April local
    meeting(case.other_rep, at("2025-03-05"), manager=case.other_manager)

    # Deal reviews: Alpha promises every open deal reviewed within 14 days.
    CoachingSettings.objects.create(team=case.team, organisation=org, deal_review_days=14)
    d = {}
    d[1] = deal(org, rita, created=dt.date(2025, 2, 25), closed=dt.date(2025, 5, 1))
    d[2] = deal(org, rita, created=dt.date(2025, 1, 10), closed=dt.date(2025, 5, 1))
    d[3] = deal(org, rob, created=dt.date(2025, 3, 10), closed=dt.date(2025, 6, 1))
    d[4] = deal(
        org,
        rob,
        created=dt.date(2025, 2, 1),
        closed=dt.date(2025, 2, 28),
        outcome="won",
        amount=3000,
    )
    d[5] = deal(
        org,
        rob,
        created=dt.date(2025, 2, 1),
        closed=dt.date(2025, 3, 5),
        outcome="won",
        amount=4000,
    )
    d[6] = deal(
        org,
        rob,
        created=dt.date(2025, 2, 20),
        closed=dt.date(2025, 3, 3),
        outcome="lost",
        amount=1000,
    )
    d[7] = deal(org, rita, created=dt.date(2025, 1, 2), closed=dt.date(2025, 4, 1))
    d[8] = deal(org, case.other_rep, created=dt.date(2025, 1, 2), closed=dt.date(2025, 4, 1))
    d[9] = deal(org, rita, created=dt.date(2025, 3, 1), closed=dt.date(2025, 4, 1))
    case.deals = d

    def review(deal_, when, status="held"):
        return meeting(
            deal_.owner,
            when,
            status=status,
            kind=MeetingKind.DEAL_REVIEW,
            deal=deal_,
            missed_by="manager" if status == "missed" else "",
        )

    review(d[1], at("2025-03-05"))
    review(d[1], at("2025-03-15"), status="held")
    review(d[2], at("2025-02-20"))
    review(d[7], at("2025-03-01"))
    review(d[9], at("2025-03-10"), status="missed")

    # Maya's own commitments.
    def commitment(due, status="open", closed=None, owner=maya):
        return Commitment.objects.create(
            organisation=org,
            owner=owner,
            text=f"Commitment due {due}",
            created_on=dt.date(2025, 2, 1),
            due_on=dt.date.fromisoformat(due),
            status=status,
            closed_on=dt.date.fromisoformat(closed) if closed else None,
            evidence="Done." if status == "done" else "",
        )

    commitment("2025-03-05", "done", "2025-03-04")  # kept
    commitment("2025-03-06", "done", "2025-03-08")  # late
    commitment("2025-03-10", "missed")
    commitment("2025-03-12", "dropped")
    commitment("2025-03-25")  # open, not due yet: not counted
    commitment("2025-03-20")  # open, due today: not counted yet
    commitment("2025-03-25", "done", "2025-03-15")  # kept early
    commitment("2025-03-05", "done", "2025-03-04", owner=rita)  # Rita's, not Maya's
    commitment("2025-02-28", "done", "2025-02-27")  # February

    # Self-reports of Maya's reps due in March.
    def report(rep, due, submitted=True, reviewed=False):
        due_on = dt.date.fromisoformat(due)
        return SelfReport.objects.create(
            organisation=org,
            rep=rep,
            period_start=due_on - dt.timedelta(days=4),
            period_end=due_on + dt.timedelta(days=2),
            due_on=due_on,
            submitted_at=at(due) if submitted else None,
            reviewed_at=at(due, 16) if reviewed else None,
            reviewed_by=maya if reviewed else None,
        )

    report(rita, "2025-03-07", reviewed=True)
    report(rita, "2025-03-14")
    report(rob, "2025-03-07", reviewed=True)
    report(rob, "2025-03-14", submitted=False)
    report(case.other_rep, "2025-03-07", reviewed=True)

    SteppedIn.objects.create(
        organisation=org, manager=maya, rep=rob, deal=d[5], on=dt.date(2025, 3, 5)
    )
    SteppedIn.objects.create(
        organisation=org, manager=maya, rep=rob, deal=d[4], on=dt.date(2025, 2, 20)
    )

    Goal.objects.create(
        organisation=org,
        team=case.team,
        metric_key="revenue_won",
        period_kind="month",
        start=MARCH.start,
        end=MARCH.end,
        target=Decimal(10000),
    )
