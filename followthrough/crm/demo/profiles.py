"""Who sells in the demo and how: each rep's habit, turned into daily behaviour."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass


class Habit:
    """What sets a rep apart; each leaves a trace the product should notice."""

    STRONG_PROSPECTOR = "strong_prospector"
    JANUARY_STOPPER = "january_stopper"
    COLD_EMAILER = "cold_emailer"
    DATE_PUSHER = "date_pusher"
    NEW_HIRE = "new_hire"
    SLIPPING = "slipping"  # prospecting fades in the last six weeks: fewer deals months later
    STEADY = "steady"
    SDR = "sdr"  # works inbound leads and hands the qualified ones to AEs


@dataclass(frozen=True)
class RepProfile:
    """A rep as the generator needs them: who, since when, where they sell, their habit."""

    email: str
    habit: str
    started_on: dt.date
    countries: tuple[str, ...]
    region: str = ""


@dataclass(frozen=True)
class Style:
    """A rep's daily behaviour, drawn once from their habit."""

    calls_per_day: float
    emails_per_day: float
    skill: float  # multiplies the chance of moving a deal forward
    optimism: float  # share of the usual cycle the rep first expects a deal to take
    push_days: tuple[int, int]  # how far a close date moves when it is pushed
    slowness: float  # multiplies the time a deal spends in each stage
    calls: bool = True  # the cold e-mailer never picks up the phone
    regress: float = 0.08  # chance a deal in negotiation goes back to proposal
    bulk_logs: bool = False  # logs a week's activities in one go, a week or more later


def style_for(habit: str, rng: random.Random) -> Style:
    """Behaviour for a habit; steady performers differ a little from each other."""
    # Skill applies at every stage, so a small spread makes a wide one in win rates.
    skill = rng.uniform(0.95, 1.05)
    calls, emails = rng.uniform(10, 14), rng.uniform(8, 12)
    if habit == Habit.STRONG_PROSPECTOR:
        return Style(calls * 2.2, emails * 1.8, max(skill, 1.0), 0.9, (14, 35), 1.0)
    if habit == Habit.COLD_EMAILER:
        return Style(0, emails * 3, skill * 0.97, 0.9, (14, 35), 1.0, calls=False)
    if habit == Habit.DATE_PUSHER:
        # Optimistic close dates, moved a week or two at a time as each one passes.
        # Integrity patterns too: deals sent back a stage, activities logged in bulk late.
        return Style(calls, emails, skill * 0.95, 0.4, (7, 16), 1.35, regress=0.45, bulk_logs=True)
    if habit == Habit.NEW_HIRE:
        return Style(calls, emails, 0.9, 0.8, (14, 35), 1.1)
    return Style(calls, emails, skill, 0.9, (14, 35), 1.0)


def stops_prospecting(habit: str, day: dt.date) -> bool:
    """The January stopper does no prospecting from New Year until the end of March."""
    return habit == Habit.JANUARY_STOPPER and day.month <= 3


SLIP_DAYS = 42
SLIP_SHARE = 0.3


def prospecting_share(habit: str, day: dt.date, last: dt.date) -> float:
    """Share of the usual prospecting done on `day` (`last`: the last day with data)."""
    if stops_prospecting(habit, day):
        return 0.0
    if habit == Habit.SLIPPING and (last - day).days < SLIP_DAYS:
        return SLIP_SHARE
    return 1.0


def ramp(profile: RepProfile, day: dt.date) -> float:
    """Share of a full workload: a new hire grows into it over about ten weeks."""
    if profile.habit != Habit.NEW_HIRE:
        return 1.0
    weeks = (day - profile.started_on).days / 7
    return min(1.0, 0.2 + 0.08 * weeks)


def season(day: dt.date) -> float:
    """Less selling in the summer holidays and between Christmas and New Year."""
    if day.month == 12 and day.day >= 23 or day.month == 1 and day.day <= 2:
        return 0.25
    if day.month == 8:
        return 0.6
    return 1.0
