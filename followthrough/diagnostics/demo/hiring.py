"""The demo's hiring: the Europe region's plan for next year, so the forecast shows hires.

The leader (Liam) aims above what today's team can bring: a target 30 % above the
measured capacity of the reps on board (rounded up to a round figure), and, since nobody
left in the demo's year, a yearly attrition of 15 % rather than the measured 0 %. The
other assumptions stay measured, so the page shows both kinds side by side.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from followthrough.diagnostics import hiring
from followthrough.diagnostics.models import HiringAssumptions
from followthrough.people.models import Organisation, Person, Role, Team

REGION = "Europe"
AMBITION = Decimal("1.3")  # target over today's capacity
ROUND_TO = Decimal(100_000)
ATTRITION = Decimal(15)


def seed(org: Organisation, today: dt.date) -> None:
    region = Team.objects.filter(organisation=org, name=REGION).first()
    if region is None:
        return
    year = hiring.default_year(today)
    measured = hiring.forecast(org, region, year, today)
    productivity = measured.assumption(hiring.Key.PRODUCTIVITY).used
    if not productivity:
        return
    capacity = productivity * measured.sellers * 12
    target = Decimal(math.ceil(capacity * AMBITION / ROUND_TO)) * ROUND_TO
    leader = Person.objects.filter(organisation=org, role=Role.LEADER).order_by("pk").first()
    HiringAssumptions.objects.update_or_create(
        team=region,
        year=year,
        defaults={
            "organisation": org,
            "annual_target": target,
            "attrition": ATTRITION,
            "updated_by": leader,
        },
    )
