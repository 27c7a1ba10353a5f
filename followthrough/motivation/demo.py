"""The demo's games: this week's contest, last month's finished one with frozen results,
a team quest this month, and quests reps proposed (one approved, one waiting).

Made through the same functions the pages use (forms' rules, close_contest,
quests.decide), acting as the manager or admin who would run them, so the audit
history reads as it would in real use. Targets are sized from the demo's own
figures so the games are neither won on Monday nor hopeless.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from followthrough.audit.context import acting_as
from followthrough.lib.periods import Period, PeriodKind, period_of, shift
from followthrough.metrics import engine
from followthrough.motivation.closing import GRACE_DAYS, close_contest
from followthrough.motivation.eligibility import eligible_people
from followthrough.motivation.models import (
    Contest,
    ContestStatus,
    Format,
    Participation,
    Quest,
)
from followthrough.motivation.quests import decide
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role, Team


def _rounded(value: Decimal, step: int) -> Decimal:
    steps = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(steps, Decimal(1)) * step


def _team_and_manager(org: Organisation, today: dt.date, index: int) -> tuple[Team, Person]:
    managers = Person.objects.filter(organisation=org, role=Role.MANAGER).order_by("pk")
    manager = list(managers)[index]
    line = lines_on(org, today).get(person=manager)
    return line.team, manager


def seed_motivation(org: Organisation, today: dt.date) -> dict[str, Contest]:
    week = period_of(PeriodKind.WEEK, today)
    month = period_of(PeriodKind.MONTH, today)
    last_month = shift(month, -1)
    first_team, maya = _team_and_manager(org, today, 0)
    second_team, otto = _team_and_manager(org, today, 1)
    admin = Person.objects.filter(organisation=org, role=Role.ADMIN).order_by("pk").first()
    made = {}
    with acting_as(user=maya.user):
        made["week"] = Contest.objects.create(
            organisation=org,
            name="Most calls and meetings this week",
            metric_key="activities",
            start=week.start,
            end=week.end,
            format=Format.RANKING,
            top_n=1,
            eligible_team=first_team,
            prizes="Dinner for two at a restaurant of the winner's choice.",
            rules=(
                "Every call, e-mail, meeting and demo logged in the CRM between Monday and "
                "Sunday counts, as on your scorecard. The most wins; a tie shares the prize."
            ),
            status=ContestStatus.OPEN,
            created_by=maya,
        )
    with acting_as(user=admin.user):
        finished = Contest.objects.create(
            organisation=org,
            name=f"Most improved revenue, {last_month.start:%B}",
            metric_key="revenue_won",
            start=last_month.start,
            end=last_month.end,
            format=Format.MOST_IMPROVED,
            top_n=3,
            min_tenure_days=60,
            prizes="A weekend trip for the first place; vouchers for second and third.",
            rules=(
                "Revenue won over the month minus your own revenue won over the month "
                "before. The three biggest improvements win; reps with two months in role."
            ),
            status=ContestStatus.OPEN,
            created_by=admin,
        )
        # Closed as the nightly job would have, a day of grace after its last day.
        closed_on = min(today, last_month.end + dt.timedelta(days=GRACE_DAYS + 1))
        close_contest(finished, today=closed_on)
        made["finished"] = finished
    with acting_as(user=otto.user):
        made["team_quest"] = _team_quest(org, second_team, otto, month, last_month)
    _quests(org, first_team, maya, month, last_month)
    return made


def _last_month_total(org, people, key: str, period: Period) -> Decimal:
    results = engine.compute(org, [key], [period], [p.pk for p in people])
    return sum((results.get(p.pk, key, period).value or 0 for p in people), start=Decimal(0))


def _team_quest(org, team, manager, month: Period, last_month: Period) -> Contest:
    field = eligible_people(
        org, roles=[Role.REP], team_id=team.pk, min_tenure_days=0, on=month.start
    )
    total = _last_month_total(org, field.people, "first_meetings_held", last_month)
    return Contest.objects.create(
        organisation=org,
        name="Team quest: first meetings this month",
        metric_key="first_meetings_held",
        start=month.start,
        end=month.end,
        format=Format.TEAM_QUEST,
        target=_rounded(total * Decimal("1.1"), 5),
        participation=Participation.INDIVIDUAL,
        eligible_team=team,
        prizes="Team lunch when we make it together.",
        rules="Every first meeting held by anyone in the team counts towards one shared target.",
        status=ContestStatus.OPEN,
        created_by=manager,
    )


def _quests(org, team, manager, month: Period, last_month: Period) -> None:
    field = eligible_people(
        org, roles=[Role.REP], team_id=team.pk, min_tenure_days=90, on=month.start
    )
    if len(field.people) < 2:
        return
    proposer, waiting = field.people[0], field.people[1]
    won = _last_month_total(org, [proposer], "deals_won", last_month)
    with acting_as(user=proposer.user):
        quest = Quest.objects.create(
            organisation=org,
            person=proposer,
            metric_key="deals_won",
            target=won + 1,
            start=month.start,
            end=month.end,
            note="One more deal than last month: I have two proposals out that can close.",
        )
    with acting_as(user=manager.user):
        decide(quest, manager, approve=True, note="Go for it: tell me if a proposal stalls.")
    with acting_as(user=waiting.user):
        Quest.objects.create(
            organisation=org,
            person=waiting,
            metric_key="first_meetings_held",
            target=_rounded(
                _last_month_total(org, [waiting], "first_meetings_held", last_month) + 2, 1
            ),
            start=month.start,
            end=month.end,
            note="Two more first meetings than last month, by calling my old leads.",
        )
