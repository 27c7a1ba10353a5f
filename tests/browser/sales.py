"""A believable sales history for the browser tests: fourteen months of deals and calls
for team Alpha (Rita, Rob and three more reps) and team Beta, with goals this month.
Seeded, so every run draws the same pictures.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from followthrough.crm.models import Activity, Deal
from followthrough.goals.models import Goal
from followthrough.lib.periods import PeriodKind, last_periods, period_of
from followthrough.metrics.rollups import rebuild
from followthrough.people.lines import move, today_for
from followthrough.people.models import Role
from tests.cast import START, make_person


def build_sales_history(cast) -> None:
    org = cast.org
    today = today_for(org)
    rng = random.Random(4)
    extra = []
    for name in ("Sami", "Noor", "Jonas"):
        rep = make_person(org, name, Role.REP, login=False)
        move(rep, manager=cast.manager, team=cast.team, on=START)
        extra.append(rep)
    cast.rep2.role_since = period_of(PeriodKind.MONTH, today).start - dt.timedelta(days=40)
    cast.rep2.save()
    reps = [cast.rep, cast.rep2, *extra, cast.other_rep]
    skill = {rep.pk: 0.6 + 0.25 * i for i, rep in enumerate(reps)}
    month = period_of(PeriodKind.MONTH, today)
    # Bulk inserts and one rollup rebuild: a row-by-row history takes minutes.
    deals, activities = [], []
    for period in last_periods(month, 14):
        last_day = min(period.end, today)
        for rep in reps:
            wins = max(0, round(rng.gauss(3 * skill[rep.pk], 1.2)))
            losses = max(0, round(rng.gauss(2, 1)))
            for i in range(wins + losses):
                day = period.start + dt.timedelta(
                    days=rng.randrange((last_day - period.start).days + 1)
                )
                deals.append(
                    Deal(
                        organisation=org,
                        source="demo",
                        external_id=f"d-{rep.pk}-{period.key}-{i}",
                        owner=rep,
                        name=f"{rep.name} deal {period.key}-{i}",
                        created_on=day - dt.timedelta(days=rng.randrange(15, 70)),
                        close_on=day,
                        outcome="won" if i < wins else "lost",
                        amount=Decimal(rng.randrange(20, 120) * 100),
                        stage="Closed",
                    )
                )
            for i in range(rng.randrange(1, 5)):
                day = period.start + dt.timedelta(
                    days=rng.randrange((last_day - period.start).days + 1)
                )
                deals.append(
                    Deal(
                        organisation=org,
                        source="demo",
                        external_id=f"o-{rep.pk}-{period.key}-{i}",
                        owner=rep,
                        name=f"{rep.name} opportunity {period.key}-{i}",
                        created_on=day,
                        amount=Decimal(rng.randrange(20, 150) * 100),
                        stage="Discovery",
                    )
                )
            for i in range(rng.randrange(8, 20)):
                day = period.start + dt.timedelta(
                    days=rng.randrange((last_day - period.start).days + 1)
                )
                activities.append(
                    Activity(
                        organisation=org,
                        source="demo",
                        external_id=f"a-{rep.pk}-{period.key}-{i}",
                        owner=rep,
                        type=rng.choice(["call", "email", "meeting"]),
                        occurred_at=timezone.make_aware(
                            dt.datetime.combine(day, dt.time(10)), dt.UTC
                        ),
                        occurred_on=day,
                        subject=f"Follow-up {i}",
                    )
                )
    Deal.objects.bulk_create(deals)
    Activity.objects.bulk_create(activities)
    rebuild(org.pk)
    for rep, target in zip(reps, (4, 4, 5, 3, 6, 4), strict=True):
        for key, value in (("deals_won", target), ("revenue_won", target * 7000)):
            Goal.objects.create(
                organisation=org,
                person=rep,
                metric_key=key,
                period_kind=PeriodKind.MONTH,
                start=month.start,
                end=month.end,
                target=Decimal(value),
            )
    Goal.objects.create(
        organisation=org,
        person=cast.rep,
        metric_key="win_rate",
        period_kind=PeriodKind.QUARTER,
        start=period_of(PeriodKind.QUARTER, today).start,
        end=period_of(PeriodKind.QUARTER, today).end,
        target=Decimal("0.6"),
    )
