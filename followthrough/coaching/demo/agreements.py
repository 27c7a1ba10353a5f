"""Demo history of the follow-through: agreements and the ladder.

Benelux works under an agreement Maya wrote from the starter text and changed once;
every rep acknowledged the first version, and all but the new hire the second. DACH
has Otto's agreement, acknowledged by all. Sara Visser, who stopped prospecting in
January, is on step 2 of the ladder after a reviewed step 1, reporting more often
until her next review; in DACH, one rep met the criteria of step 1 and left the ladder.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from followthrough.coaching import agreements, ladder
from followthrough.coaching.models import Agreement
from followthrough.coaching.starter import ENGLISH
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Organisation, Person, Role, Team

BENELUX_V1_DAYS = 120
BENELUX_V2_DAYS = 12
DACH_DAYS = 110
# The new hire joined after version 1 and has not read version 2 yet.
NOT_YET = "Lotte Bakker"
ON_STEP_TWO = "Sara Visser"
LEFT_THE_LADDER = ("Mia Schulz", "Paul Wagner", "Lena Fischer")

DEAL_REVIEWS = (
    "\n8. Every open deal is reviewed with your manager within three weeks; "
    "bring the next step and its date."
)


def _at(org: Organisation, day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(org.timezone))


def _written_on(agreement: Agreement, when: dt.datetime) -> None:
    # The demo's history happened in the past; created_at is bookkeeping, not audited.
    Agreement.objects.filter(pk=agreement.pk).update(created_at=when)
    agreement.created_at = when


def _agreement(org, team, author, day: dt.date, expectations: str) -> Agreement:
    agreement = agreements.create_version(
        author=author,
        team=team,
        expectations=expectations,
        self_report_interval=ENGLISH.self_report_interval,
        cadence=ENGLISH.cadence,
        missed_goals=ENGLISH.missed_goals,
    )
    _written_on(agreement, _at(org, day))
    return agreement


def _acknowledged_by(org, agreement: Agreement, people, written: dt.date, skip=()) -> None:
    for index, person in enumerate(sorted(people, key=lambda p: p.name)):
        if person.name in skip:
            continue
        # Read within a few days; someone who joined later, soon after joining.
        day = max(written, person.role_since or written) + dt.timedelta(days=1 + index % 4)
        agreements.acknowledge(agreement, person, _at(org, day, 9 + index % 6))


def _manager_of(team: Team, org: Organisation) -> Person | None:
    line = (
        lines_on(org, today_for(org))
        .filter(team=team, person__role=Role.MANAGER)
        .select_related("person")
        .first()
    )
    return line.person if line else None


def seed(org: Organisation, today: dt.date) -> None:
    """Add this part's demo records to the demo organisation."""
    teams = {team.name: team for team in Team.objects.filter(organisation=org)}
    benelux, dach = teams.get("Benelux"), teams.get("DACH")
    if benelux is not None:
        _benelux(org, benelux, today)
    if dach is not None:
        _dach(org, dach, today)


def _benelux(org: Organisation, team: Team, today: dt.date) -> None:
    maya = _manager_of(team, org)
    if maya is None:
        return
    written = today - dt.timedelta(days=BENELUX_V1_DAYS)
    first = _agreement(org, team, maya, written, ENGLISH.expectations)
    reps = agreements.covered_people(first)
    _acknowledged_by(org, first, reps, written)
    changed = today - dt.timedelta(days=BENELUX_V2_DAYS)
    second = _agreement(org, team, maya, changed, ENGLISH.expectations + DEAL_REVIEWS)
    _acknowledged_by(org, second, reps, changed, skip=(NOT_YET,))
    sara = next((rep for rep in reps if rep.name == ON_STEP_TWO), None)
    if sara is not None:
        _sara_on_step_two(maya, sara, today)


def _sara_on_step_two(maya: Person, sara: Person, today: dt.date) -> None:
    days = dt.timedelta
    first = ladder.open_step(
        by=maya,
        rep=sara,
        step=1,
        started_on=today - days(91),
        review_on=today - days(42),
        plan=(
            "Prospecting stopped in January and the pipeline for April shows it.\n"
            "Two prospecting blocks a week (Tuesday and Thursday morning), phone first, "
            "and one call shadowed with Maya every fortnight."
        ),
        exit_criteria="Eight first meetings a month, two months running.",
    )
    ladder.record_review(
        first,
        by=maya,
        reviewed_on=today - days(40),
        review=(
            "Calls are up from 12 to 35 a week, but first meetings stayed at 3 a month. "
            "Sara says her openers do not land; we agreed to look at it more often."
        ),
    )
    ladder.open_step(
        by=maya,
        rep=sara,
        step=2,
        started_on=today - days(39),
        review_on=today + days(17),
        plan=(
            "A short self-report every working day: calls, conversations, meetings booked.\n"
            "New opener practised with Ruben; Maya listens to two calls a week and gives "
            "feedback the same day.\n"
            "Weekly 1:1 starts with Sara's own read of the numbers."
        ),
        exit_criteria=(
            "Eight first meetings a month for two months running, and a pipeline "
            "for next quarter at three times the quarter's target."
        ),
    )


def _dach(org: Organisation, team: Team, today: dt.date) -> None:
    otto = _manager_of(team, org)
    if otto is None:
        return
    written = today - dt.timedelta(days=DACH_DAYS)
    agreement = _agreement(org, team, otto, written, ENGLISH.expectations)
    reps = agreements.covered_people(agreement)
    _acknowledged_by(org, agreement, reps, written)
    leaver = next((rep for name in LEFT_THE_LADDER for rep in reps if rep.name == name), None)
    if leaver is None:
        return
    days = dt.timedelta
    step = ladder.open_step(
        by=otto,
        rep=leaver,
        step=1,
        started_on=today - days(150),
        review_on=today - days(100),
        plan=(
            "Discovery calls run long and end without a next step.\n"
            "Use the discovery checklist on every first meeting; Otto joins one a week."
        ),
        exit_criteria="Second meetings from at least half of the first meetings, six weeks running.",
    )
    ladder.record_review(
        step,
        by=otto,
        reviewed_on=today - days(100),
        review="Second meetings from 6 of 10 first meetings for seven weeks: criteria met.",
    )
    ladder.leave_ladder(step, by=otto, ended_on=today - days(100))
