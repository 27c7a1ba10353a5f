"""The hiring forecast's arithmetic: month by month, capacity against target, and the hires
that close the gap. Pure: no database (the measured inputs come from hiring_measured.py).

The model, in plain words (docs/diagnostics.md, "Hiring forecast"):
- A fully ramped rep brings `productivity` a month. A rep in their k-th month of tenure
  (the start month is the first) brings k / (ramp_months + 1) of it while k <= ramp_months,
  all of it afterwards: a ramp of 3 months is 25 %, 50 %, 75 %, then 100 % (the goals'
  default ramp for new hires has the same shape).
- Each month a rep stays with probability 1 - attrition / 12 (yearly attrition spread
  evenly), counted from the current month for the reps of today and from the start month
  for a hire: headcounts are expected values, so they carry decimals.
- Hires are planned on the capacity the team will have once everyone on board is ramped:
  for each month in order, when that falls short of the month's target, enough whole
  hires to cover the shortfall start `ramp_months` earlier (ramped in time), but never
  before the earliest possible start (a role opened this month starts `lead_months`
  later). Planning on ramped capacity rather than on this month's capacity avoids hiring
  again for a gap the hires already made will close once ramped; the months a ramp
  cannot cover in time keep a gap, and the page says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from followthrough.lib.periods import Period, PeriodKind, add_months, period_of

ZERO = Decimal(0)
ONE = Decimal(1)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def ramp_share(tenure_month: int, ramp_months: int) -> Decimal:
    """The share of full productivity in the `tenure_month`-th month (1 = the start month)."""
    if tenure_month <= 0:
        return ZERO
    if tenure_month > ramp_months:
        return ONE
    return Decimal(tenure_month) / Decimal(ramp_months + 1)


def retention(attrition: Decimal) -> Decimal:
    """The chance a rep is still there a month later, from the yearly attrition in %."""
    return ONE - attrition / Decimal(100) / Decimal(12)


@dataclass(frozen=True)
class Inputs:
    """What a plan is computed from (every value the one in use: measured or the user's)."""

    months: Sequence[Period]  # the months planned, in order
    targets: Sequence[Decimal]  # one per month
    productivity: Decimal  # a month's figure of a fully ramped rep
    ramp_months: int
    attrition: Decimal  # yearly, in %
    lead_months: int
    today: dt.date
    starts: Sequence[dt.date | None]  # the start of each rep on board today (None: long ago)


@dataclass(frozen=True)
class Hire:
    """Some reps starting in one month, their roles opened `lead_months` before."""

    start: dt.date  # the first of the start month
    opens: dt.date  # the first of the month the roles are opened
    count: int
    needed_for: dt.date  # the month whose shortfall they close


@dataclass
class MonthPlan:
    month: Period
    target: Decimal
    headcount: Decimal  # expected reps on board, hires included
    capacity: Decimal  # expected figure, ramps and attrition included
    starting: int = 0  # hires starting this month
    opening: int = 0  # roles opened this month

    @property
    def gap(self) -> Decimal:
        """Target minus capacity: above zero, short of target."""
        return self.target - self.capacity


@dataclass
class Plan:
    months: list[MonthPlan]
    hires: list[Hire] = field(default_factory=list)

    @property
    def total_hires(self) -> int:
        return sum(h.count for h in self.hires)

    @property
    def target(self) -> Decimal:
        return sum((m.target for m in self.months), ZERO)

    @property
    def capacity(self) -> Decimal:
        return sum((m.capacity for m in self.months), ZERO)

    @property
    def short_months(self) -> list[MonthPlan]:
        return [m for m in self.months if m.gap > 0]

    def opened_before(self, day: dt.date) -> list[Hire]:
        """Hires whose roles open before `day` (before the year: open them now)."""
        return [h for h in self.hires if h.opens < day]


def year_months(year: int) -> list[Period]:
    return [period_of(PeriodKind.MONTH, add_months(dt.date(year, 1, 1), k)) for k in range(12)]


def earliest_start(today: dt.date, lead_months: int) -> dt.date:
    """The first month a role opened this month can start."""
    return add_months(today, lead_months)


def plan(inputs: Inputs) -> Plan:
    """The months of `inputs` with headcount, capacity, target, gap and the hires that close it."""
    keep = retention(inputs.attrition)
    now = month_index(inputs.today)
    first_start = month_index(earliest_start(inputs.today, inputs.lead_months))
    hires: dict[int, int] = {}  # start month index -> count
    needed: dict[int, int] = {}  # start month index -> the month index it was planned for

    def on_board(m: int) -> tuple[Decimal, Decimal, Decimal]:
        """(expected headcount, capacity now, capacity once ramped) in month index m."""
        heads = capacity = ZERO
        for start in inputs.starts:
            stays = keep ** max(0, m - now)
            tenure = m - month_index(start) + 1 if start else inputs.ramp_months + 1
            heads += stays
            capacity += stays * ramp_share(tenure, inputs.ramp_months)
        for start, count in hires.items():
            if start <= m:
                stays = count * keep ** (m - start)
                heads += stays
                capacity += stays * ramp_share(m - start + 1, inputs.ramp_months)
        ramped = heads  # everyone on board, counted at full productivity
        p = inputs.productivity
        return heads, capacity * p, ramped * p

    for month, target in zip(inputs.months, inputs.targets, strict=True):
        m = month_index(month.start)
        _heads, _capacity, ramped = on_board(m)
        short = target - ramped
        if short > 0 and inputs.productivity > 0:
            start = max(first_start, m - inputs.ramp_months)
            one = inputs.productivity * keep ** max(0, m - start)
            count = math.ceil(short / one)
            hires[start] = hires.get(start, 0) + count
            needed.setdefault(start, m)

    def first_of(index: int) -> dt.date:
        return dt.date(index // 12, index % 12 + 1, 1)

    listed = [
        Hire(
            start=first_of(start),
            opens=first_of(start - inputs.lead_months),
            count=count,
            needed_for=first_of(needed[start]),
        )
        for start, count in sorted(hires.items())
    ]
    months = []
    for month, target in zip(inputs.months, inputs.targets, strict=True):
        m = month_index(month.start)
        heads, capacity, _ramped = on_board(m)
        months.append(
            MonthPlan(
                month=month,
                target=target,
                headcount=heads,
                capacity=capacity,
                starting=hires.get(m, 0),
                opening=sum(h.count for h in listed if month_index(h.opens) == m),
            )
        )
    return Plan(months, listed)
