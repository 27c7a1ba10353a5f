"""Shared by the agreement and ladder tests: agreements and steps made through the logic."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching import agreements, ladder
from followthrough.coaching.models import Agreement, LadderStep
from followthrough.people.lines import today_for


def team_agreement(team, author, **fields) -> Agreement:
    values = {
        "expectations": "Raise a shortfall yourself.",
        "self_report_interval": "weekly",
        "cadence": "weekly",
        "missed_goals": "We coach first.",
    }
    values.update(fields)
    return agreements.create_version(author=author, team=team, **values)


def rep_agreement(rep, author, **fields) -> Agreement:
    values = {
        "expectations": "Your own plan first.",
        "self_report_interval": "fortnightly",
        "cadence": "fortnightly",
        "missed_goals": "We coach first.",
    }
    values.update(fields)
    return agreements.create_version(author=author, rep=rep, **values)


def today(org) -> dt.date:
    return today_for(org)


def step_one(manager, rep, *, started: dt.date, review_in: int = 28) -> LadderStep:
    return ladder.open_step(
        by=manager,
        rep=rep,
        step=1,
        started_on=started,
        review_on=started + dt.timedelta(days=review_in),
        plan="Two prospecting blocks a week.",
        exit_criteria="Eight first meetings a month, two months running.",
    )
