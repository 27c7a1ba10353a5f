"""Demo history of the follow-through: commitments, weekly self-reports and one "I'm stuck".

Twelve weeks back from the day the demo is built. Commitments come from the weekly
1:1s where the meetings part made them (else they are made alone): most kept on
time, some late, the last ones open and a few overdue. Maya keeps her own
commitments; Otto is late on several. Every rep writes a weekly self-report; Sara
Visser misses several, others one now and then; managers review some (Maya more
than Otto). Ruben Rep is stuck on one named deal, and Maya has the notification.
Everything goes through the same functions the pages use, so the audit has it all.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from followthrough.coaching.commitments import close_commitment, make_commitment
from followthrough.coaching.intervals import interval_for, period_for
from followthrough.coaching.models import (
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SelfReport,
)
from followthrough.coaching.problems import raise_problem
from followthrough.coaching.selfreports import review_self_report, write_self_report
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role

WEEKS = 12
STUCK_REP = "Ruben Rep"
KEEPS_HERS = "Maya Manager"
LATE_MANAGER = "Otto Keller"
MISSES_REPORTS = "Sara Visser"
SARA_MISSES = {2, 5, 6, 9}  # weeks back whose report Sara never wrote

# (commitment, the metric it should move)
REP_COMMITMENTS = [
    ("Call back the five accounts that went quiet after the demo", "calls"),
    ("Book two first meetings with new logos from the trade-fair list", "first_meetings_held"),
    ("Send the revised proposal with the three-year option", "revenue_won"),
    ("Update close dates and next steps on every open deal", ""),
    ("Ask for the next step at the end of every discovery call this week", "win_rate"),
    ("Map the buying committee at the two largest open deals", "win_rate"),
    ("Phone ten cold prospects instead of e-mailing them", "first_meetings_held"),
    ("Prepare a mutual action plan for the biggest deal in negotiation", "deals_won"),
    ("Qualify budget and timing on the three newest opportunities", "win_rate"),
    ("Create four new opportunities from existing customers", "deals_created"),
]
MANAGER_COMMITMENTS = [
    "Join one discovery call of each rep to observe and give feedback",
    "Send the team the new pricing guidance before Friday",
    "Review every open deal older than three weeks with its rep",
    "Get legal's answer on the standard contract changes",
    "Book the quarterly business review with the leadership team",
]
EVIDENCE = [
    "All five called; the calls are logged in the CRM.",
    "Sent on time; the customer confirmed receipt.",
    "Two meetings booked, both in the calendar.",
    "All open deals updated; the pipeline report is clean.",
    "Went through it in the 1:1; notes shared.",
]
COACHED = [
    ("asking for the next step at the end of every call",
     "I now close every call by proposing a date for the next meeting"),
    ("qualifying budget earlier in discovery",
     "I ask about budget and who signs in the first call, not the third"),
    ("phoning instead of e-mailing cold prospects",
     "I block an hour every morning for calls before opening my inbox"),
    ("keeping close dates honest in the CRM",
     "I moved three close dates to realistic ones and wrote down why"),
    ("multi-threading into larger accounts",
     "I added a second contact at each deal above 20k"),
    ("preparing demos around the customer's problem",
     "I start each demo with the customer's own numbers"),
]  # fmt: skip
RESULTS = [
    "A solid week: {meetings} first meetings held and one proposal sent. The pipeline "
    "for next month looks healthier than last week.",
    "Slower than I wanted: two deals slipped to next month because the customer's "
    "budget review moved. I booked {meetings} new first meetings to make up for it.",
    "Closed one deal I had been working on for two months. Prospecting was lighter "
    "than planned; {meetings} first meetings.",
    "Mostly follow-ups this week. {meetings} first meetings, and the two demos went "
    "well: both asked for a proposal.",
]
NEXT_STEPS = [
    "Follow up on both proposals by Tuesday and book the next demos.",
    "Spend Monday and Wednesday mornings on calls to new prospects.",
    "Get the decision maker at the largest deal into a meeting.",
    "Clean up the pipeline and ask for a decision on the two oldest deals.",
]
COMMENTS = [
    "Good week. Keep the morning call block; it shows in the first meetings.",
    "Thanks for raising the slipped deals yourself. Let's look at them on Monday.",
    "Nice progress on the next steps. Bring the action plan to our 1:1.",
]


def _pairs(org: Organisation, today: dt.date) -> list[tuple[Person, Person]]:
    """(manager, rep) of every rep reporting to a manager today, by name."""
    lines = (
        lines_on(org, today)
        .filter(manager__role=Role.MANAGER, person__role=Role.REP, person__is_active=True)
        .select_related("manager__organisation", "person__organisation")
        .order_by("manager__name", "person__name")
    )
    return [(line.manager, line.person) for line in lines]


def _meetings(org: Organisation) -> dict[tuple[int, dt.date], Meeting]:
    """Held weekly 1:1s by (rep, Monday of their week), if the meetings part made them."""
    zone = zoneinfo.ZoneInfo(org.timezone)
    held = {}
    for meeting in Meeting.objects.filter(
        organisation=org, kind=MeetingKind.ONE_ON_ONE, status=MeetingStatus.HELD
    ):
        day = meeting.scheduled_at.astimezone(zone).date()
        held[(meeting.rep_id, day - dt.timedelta(days=day.weekday()))] = meeting
    return held


def _moment(day: dt.date, hour: int, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def seed(org: Organisation, today: dt.date) -> None:
    """Add this part's demo records to the demo organisation."""
    zone = zoneinfo.ZoneInfo(org.timezone)
    pairs = _pairs(org, today)
    held = _meetings(org)
    this_monday = today - dt.timedelta(days=today.weekday())
    managers = {manager.pk: manager for manager, _ in pairs}
    for manager, rep in pairs:
        rng = random.Random(f"commitments-{rep.name}")
        _rep_commitments(manager, rep, rng, held, this_monday, today)
        _self_reports(manager, rep, rng, today, zone)
    for manager in managers.values():
        _manager_commitments(manager, this_monday, today)
    _stuck(org, pairs, today, zone)


def _rep_commitments(manager, rep, rng, held, this_monday, today) -> None:
    sloppy = rep.name == MISSES_REPORTS
    for back in range(WEEKS - 1, -1, -1):
        monday = this_monday - dt.timedelta(weeks=back)
        meeting = held.get((rep.pk, monday))
        if meeting is None and rng.random() < 0.35:
            continue  # no 1:1 and nothing made alone that week
        made = monday + dt.timedelta(days=rng.choice((0, 1, 2)))
        if meeting is not None:
            made = meeting.scheduled_at.astimezone(
                zoneinfo.ZoneInfo(rep.organisation.timezone)
            ).date()
        if made > today:
            made = today
        text, metric = REP_COMMITMENTS[rng.randrange(len(REP_COMMITMENTS))]
        due = made + dt.timedelta(days=rng.choice((4, 6, 7, 9)))
        commitment = make_commitment(
            by=manager if meeting is not None and rng.random() < 0.5 else rep,
            owner=rep,
            text=text,
            due_on=due,
            meeting=meeting,
            metric_key=metric,
            today=made,
        )
        roll = rng.random()
        if back <= 1 and roll < 0.7:
            continue  # recent ones stay open; those already due show as overdue
        if back in (2, 3) and rng.random() < (0.6 if sloppy else 0.25):
            continue  # left open past its date: overdue, marked on both lists
        if roll < (0.45 if sloppy else 0.7):
            closed, status = due - dt.timedelta(days=rng.choice((0, 1, 2))), CommitmentStatus.DONE
        elif roll < (0.8 if sloppy else 0.88):
            closed, status = due + dt.timedelta(days=rng.choice((1, 2, 4))), CommitmentStatus.DONE
        elif roll < 0.95:
            closed, status = due + dt.timedelta(days=1), CommitmentStatus.MISSED
        else:
            closed, status = due - dt.timedelta(days=1), CommitmentStatus.DROPPED
        closed = max(made, closed)
        if closed >= today:
            continue
        close_commitment(
            commitment,
            by=rep,
            status=status,
            evidence=rng.choice(EVIDENCE) if status == CommitmentStatus.DONE else "",
            today=closed,
        )
    # One made alone this week, due next week: open and on time.
    make_commitment(
        by=rep,
        owner=rep,
        text="Send a recap with next steps after every demo this week",
        due_on=today + dt.timedelta(days=7),
        metric_key="win_rate",
        today=today,
    )


def _manager_commitments(manager, this_monday, today) -> None:
    """Maya keeps hers on time; Otto is late on several and has one overdue."""
    late = manager.name == LATE_MANAGER
    for index, text in enumerate(MANAGER_COMMITMENTS):
        made = this_monday - dt.timedelta(weeks=10 - 2 * index)
        due = made + dt.timedelta(days=5)
        commitment = make_commitment(by=manager, owner=manager, text=text, due_on=due, today=made)
        if late and index == len(MANAGER_COMMITMENTS) - 1:
            continue  # open, and past due: overdue
        closed = due + dt.timedelta(days=3 + index) if late and index % 4 != 0 else due
        if closed >= today:
            if due < today or not late:
                closed = min(due, today - dt.timedelta(days=1))
            else:
                continue
        if closed < made:
            continue
        close_commitment(
            commitment,
            by=manager,
            status=CommitmentStatus.DONE,
            evidence=EVIDENCE[index],
            today=closed,
        )


def _periods(rep, today: dt.date) -> list:
    """The reporting periods of the last twelve weeks already due, oldest first.

    Each in the interval in force then: Sara's became daily when she entered step 2.
    """
    periods, day = [], today - dt.timedelta(weeks=WEEKS)
    while True:
        period = period_for(interval_for(rep, day), day)
        if period.due_on >= today:
            return periods
        periods.append(period)
        day = period.end + dt.timedelta(days=1)


def _self_reports(manager, rep, rng, today, zone) -> None:
    """Reports for the last twelve weeks; the current one is still due."""
    keen = manager.name != LATE_MANAGER
    periods = _periods(rep, today)
    for back, period in zip(range(len(periods), 0, -1), periods, strict=True):
        report = SelfReport.objects.create(
            organisation=rep.organisation,
            rep=rep,
            period_start=period.start,
            period_end=period.end,
            due_on=period.due_on,
        )
        missed = back in SARA_MISSES if rep.name == MISSES_REPORTS else rng.random() < 0.06
        if missed:
            continue  # the deadline passed: a missed self-report, visible to both
        topic, change = COACHED[rng.randrange(len(COACHED))]
        late = rng.random() < (0.3 if rep.name == MISSES_REPORTS else 0.1)
        written = period.due_on + dt.timedelta(days=2 if late else 0)
        write_self_report(
            report,
            by=rep,
            results=rng.choice(RESULTS).format(meetings=rng.randint(1, 5)),
            coached_on=topic,
            changed=change,
            metric_key=rng.choice(("first_meetings_held", "win_rate", "calls", "deals_created")),
            next_steps=rng.choice(NEXT_STEPS),
            now=_moment(min(written, today), 16, zone),
        )
        if back >= 2 and rng.random() < (0.6 if keen else 0.2):
            review_self_report(
                report,
                by=manager,
                comment=rng.choice(COMMENTS),
                now=_moment(period.due_on + dt.timedelta(days=3), 9, zone),
            )


def _stuck(org: Organisation, pairs, today: dt.date, zone) -> None:
    """Ruben Rep is stuck on one of his open deals, raised two days ago."""
    rep = next((rep for _, rep in pairs if rep.name == STUCK_REP), None)
    if rep is None:
        return
    deal = (
        Deal.objects.filter(organisation=org, owner=rep, outcome=Outcome.OPEN)
        .exclude(name="")
        .order_by("-amount", "pk")
        .first()
    )
    raised = _moment(today - dt.timedelta(days=2), 10, zone)
    text = (
        "The customer's procurement team went silent after our proposal; my champion "
        "says the budget is approved but nobody answers. I tried e-mail and two calls. "
        "Could you help me reach their finance director?"
    )
    raise_problem(by=rep, rep=rep, text=text, deal=deal, now=raised)
