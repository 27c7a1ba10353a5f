"""The demo's recognition: badges earned by rule over the last quarter, a month of kudos
inside each team (through the same budget as anyone's), a badge granted by a manager,
and a few win and loss stories, a manager's among them."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role
from followthrough.recognition.badges import ensure_badges, grant
from followthrough.recognition.kudos import KudosRefused, give_kudos
from followthrough.recognition.rules import award_rule_badges
from followthrough.recognition.stories import write_story

SEED = 14
KUDOS_DAYS = 30
# Each sender gives at most this many in the demo month, so the demo rep has budget left.
KUDOS_PER_SENDER = 3
MESSAGES = [
    "Thanks for covering my demo while I was out — the customer loved it.",
    "Your discovery questions on the Initech call were spot on.",
    "Great job turning that objection on price into a second meeting.",
    "Thanks for sharing your cold-call opener; it booked me two meetings.",
    "You kept the CRM spotless before the forecast call. Much appreciated!",
    "Brilliant follow-up e-mail after the trade show.",
    "Thanks for the intro to the procurement team, it unblocked my deal.",
    "Your negotiation prep sheet is now my template.",
]
STORIES = [
    # (who writes: "owner" or "manager", outcome, what worked, what did not)
    (
        "owner",
        Outcome.WON,
        "Booked a second meeting with the CFO in the first week, so the budget was "
        "settled before the demo. A short pilot with clear success criteria closed it.",
        "",
    ),
    (
        "owner",
        Outcome.LOST,
        "The champion loved the product.",
        "We never met the economic buyer; procurement chose on price alone. "
        "Next time: ask who signs before the demo.",
    ),
    (
        "manager",
        Outcome.WON,
        "Rehearsing the negotiation call together the day before: the rep led it, I only listened.",
        "I stepped in on pricing too early in the first round.",
    ),
]


def seed(org: Organisation, today: dt.date) -> None:
    award_rule_badges(org, today, months=3)
    teams = _teams(org, today)
    _kudos(org, today, teams)
    _granted(org, today, teams)
    _stories(org, teams)


def _teams(org: Organisation, today: dt.date) -> dict[int, list[Person]]:
    """Team id -> the active people in it today, in a stable order."""
    people = {
        p.pk: p for p in Person.objects.filter(organisation=org, is_active=True).order_by("pk")
    }
    teams: dict[int, list[Person]] = {}
    for pid, team_id in lines_on(org, today).exclude(team=None).values_list("person_id", "team_id"):
        if pid in people:
            teams.setdefault(team_id, []).append(people[pid])
    return {k: sorted(v, key=lambda p: p.pk) for k, v in sorted(teams.items())}


def _kudos(org: Organisation, today: dt.date, teams: dict[int, list[Person]]) -> None:
    rng = random.Random(SEED)
    zone = zoneinfo.ZoneInfo(org.timezone)
    given: dict[int, int] = {}
    for members in teams.values():
        if len(members) < 2:
            continue
        for offset in range(KUDOS_DAYS, 0, -2):
            sender, recipient = rng.sample(members, 2)
            if given.get(sender.pk, 0) >= KUDOS_PER_SENDER:
                continue
            day = today - dt.timedelta(days=offset)
            when = dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)), zone)
            try:
                give_kudos(sender, recipient, rng.choice(MESSAGES), now=when)
            except KudosRefused:
                continue
            given[sender.pk] = given.get(sender.pk, 0) + 1


def _manager_and_rep(members: list[Person]) -> tuple[Person | None, list[Person]]:
    manager = next((p for p in members if p.role == Role.MANAGER), None)
    return manager, [p for p in members if p.role == Role.REP]


def _granted(org: Organisation, today: dt.date, teams: dict[int, list[Person]]) -> None:
    badges = ensure_badges(org)
    for members in list(teams.values())[:2]:
        manager, reps = _manager_and_rep(members)
        if manager is None or not reps:
            continue
        grant(
            manager,
            reps[0],
            badges["team-player"],
            "Shared the demo script the whole team now uses.",
        )


def _stories(org: Organisation, teams: dict[int, list[Person]]) -> None:
    for members in list(teams.values())[:2]:
        manager, reps = _manager_and_rep(members)
        for (who, outcome, worked, not_worked), rep in zip(STORIES, reps, strict=False):
            deal = (
                Deal.objects.filter(organisation=org, owner=rep, outcome=outcome)
                .exclude(close_on=None)
                .order_by("-close_on", "-pk")
                .first()
            )
            author = manager if who == "manager" else rep
            if deal is None or author is None:
                continue
            write_story(author, deal, worked=worked, did_not_work=not_worked)
