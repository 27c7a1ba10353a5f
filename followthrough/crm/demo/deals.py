"""A deal's life from creation to won or lost: its stage moves, close-date pushes and amounts.

A journey is simulated day by day only at the moments something happens:
the rep moves the deal on (or back), loses it, or pushes the expected close
date once it has passed. Nothing after the last day of data is kept: a deal
still moving then stays open, with the close date it had.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from followthrough.crm.choices import DealType, Outcome
from followthrough.crm.demo.profiles import Style

PROSPECTING = "Prospecting"
QUALIFICATION = "Qualification"
DEMO = "Demo"
PROPOSAL = "Proposal"
NEGOTIATION = "Negotiation"
CLOSED_WON = "Closed Won"
CLOSED_LOST = "Closed Lost"
OPEN_STAGES = [PROSPECTING, QUALIFICATION, DEMO, PROPOSAL, NEGOTIATION]
FINAL_STAGE = {Outcome.WON: CLOSED_WON, Outcome.LOST: CLOSED_LOST}

# Chance of moving on from each stage, and the mean days spent in it, for a rep of skill 1.
ADVANCE = {PROSPECTING: 0.75, QUALIFICATION: 0.74, DEMO: 0.75, PROPOSAL: 0.8, NEGOTIATION: 0.78}
DWELL = {PROSPECTING: 10, QUALIFICATION: 15, DEMO: 16, PROPOSAL: 20, NEGOTIATION: 17}
# Deals on existing customers start further down the funnel and close more often.
START = {
    DealType.NEW_BUSINESS: PROSPECTING,
    DealType.UPSELL: QUALIFICATION,
    DealType.CROSS_SELL: QUALIFICATION,
    DealType.RENEWAL: PROPOSAL,
}
# The chance of losing at each stage is divided by this (and by the rep's skill).
EASE = {
    DealType.NEW_BUSINESS: 1.0,
    DealType.UPSELL: 1.6,
    DealType.CROSS_SELL: 1.4,
    DealType.RENEWAL: 4.0,
}
LOSS_REASONS = {
    PROSPECTING: ["No budget", "Not a fit", "No response"],
    QUALIFICATION: ["No budget", "Not a fit", "No decision"],
    DEMO: ["Lost to competitor", "Missing features", "No decision"],
    PROPOSAL: ["Price", "Lost to competitor", "No decision", "Timing"],
    NEGOTIATION: ["Price", "Lost to competitor", "Timing", "Legal terms"],
}
NEXT_STEPS = {
    PROSPECTING: "Book discovery call",
    QUALIFICATION: "Confirm budget and decision makers",
    DEMO: "Run tailored demo",
    PROPOSAL: "Send proposal",
    NEGOTIATION: "Agree terms with procurement",
}


@dataclass
class Step:
    """One change to a deal: a stage move, a new close date or a new amount (or several)."""

    on: dt.date
    stage: str
    close_on: dt.date
    amount: Decimal | None
    moved: bool  # the stage changed (not only the close date or amount)


@dataclass
class Journey:
    created_on: dt.date
    steps: list[Step] = field(default_factory=list)
    outcome: str = Outcome.OPEN
    loss_reason: str = ""

    @property
    def last(self) -> Step:
        return self.steps[-1]


def _days(rng: random.Random, mean: float) -> int:
    # A skewed wait: most steps come quickly, a few drag on.
    return max(1, round(rng.gammavariate(2.0, mean / 2.0)))


def expected_cycle(stage: str) -> int:
    return sum(DWELL[s] for s in OPEN_STAGES[OPEN_STAGES.index(stage) :])


def journey(
    rng: random.Random,
    style: Style,
    created_on: dt.date,
    deal_type: str,
    amount: Decimal | None,
    last_day: dt.date,
    close_on: dt.date | None = None,
) -> Journey:
    """Simulate one deal from `created_on` up to `last_day` (the last day with data)."""
    stage = START[deal_type]
    if close_on is None:
        close_on = created_on + dt.timedelta(days=round(expected_cycle(stage) * style.optimism))
    trip = Journey(created_on)
    trip.steps.append(Step(created_on, stage, close_on, amount, True))
    day, went_back = created_on, False
    ease = style.skill * EASE[deal_type]
    while True:
        move_on = day + dt.timedelta(days=_days(rng, DWELL[stage] * style.slowness))
        close_on = _pushes(
            rng, style, trip, stage, close_on, min(move_on, last_day + dt.timedelta(1))
        )
        if move_on > last_day:
            return trip
        day = move_on
        if rng.random() < (1 - ADVANCE[stage]) / ease:
            trip.outcome, trip.loss_reason = Outcome.LOST, rng.choice(LOSS_REASONS[stage])
            trip.steps.append(Step(day, CLOSED_LOST, day, trip.last.amount, True))
            return trip
        if stage == NEGOTIATION:
            if not went_back and rng.random() < style.regress:
                # Back to proposal: the buyer asked for a new scope.
                went_back, stage = True, PROPOSAL
                trip.steps.append(Step(day, stage, close_on, trip.last.amount, True))
                continue
            trip.outcome = Outcome.WON
            trip.steps.append(Step(day, CLOSED_WON, day, trip.last.amount, True))
            return trip
        following = OPEN_STAGES[OPEN_STAGES.index(stage) + 1]
        if stage == QUALIFICATION and rng.random() < 0.12:
            following = PROPOSAL  # the buyer has seen enough: no demo
        stage = following
        amount = trip.last.amount
        if stage == NEGOTIATION and amount is not None and rng.random() < 0.3:
            amount = Decimal(round(amount * Decimal(rng.uniform(0.82, 0.95)), -2))
        if amount is None and stage in (PROPOSAL, NEGOTIATION):
            # A proposal carries a price even if the opportunity had none.
            amount = Decimal(round(rng.uniform(8000, 40000), -2))
        trip.steps.append(Step(day, stage, close_on, amount, True))


def _pushes(
    rng: random.Random, style: Style, trip: Journey, stage: str, close_on: dt.date, until: dt.date
) -> dt.date:
    """Push the close date each time it passes before `until`; returns the last close date."""
    while close_on < until:
        # A close date is pushed after it passes, never before the deal's last change.
        noticed = max(close_on, trip.last.on) + dt.timedelta(days=rng.randint(0, 9))
        if noticed >= until:
            break  # still overdue when the deal moves or the data ends
        close_on = noticed + dt.timedelta(days=rng.randint(*style.push_days))
        trip.steps.append(Step(noticed, stage, close_on, trip.last.amount, False))
    return close_on


def next_step(rng: random.Random, trip: Journey, last_day: dt.date) -> tuple[str, dt.date | None]:
    """An open deal's next step; about a quarter of reps leave it empty."""
    if trip.outcome != Outcome.OPEN or rng.random() < 0.25:
        return "", None
    on = last_day + dt.timedelta(days=rng.randint(-10, 14))
    return NEXT_STEPS[trip.last.stage], on
