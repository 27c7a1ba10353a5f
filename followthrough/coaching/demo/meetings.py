"""Demo history of the follow-through: meetings.

Every manager-rep pair meets weekly. Thirteen weeks of history, written through the
same functions as the pages: 1:1s held (notes in the coaching order: the rep's
answers, then the manager's feedback, now and then a private note), missed and moved;
deal reviews; "I stepped in". The managers differ: Maya Manager holds nearly every
1:1, reviews her team's deals within the Benelux promise of 21 days and rarely steps
in; Otto Keller misses several 1:1s, reviews little and often closes for his reps.
The next four weeks are scheduled.
"""

from __future__ import annotations

import datetime as dt
import random

from followthrough.coaching.cadence import (
    at,
    end_meeting,
    local_day,
    move_meeting,
    schedule_meetings,
)
from followthrough.coaching.meetings import create_deal_review
from followthrough.coaching.models import (
    Cadence,
    CoachingSettings,
    Frequency,
    Meeting,
    MeetingStatus,
    MissedBy,
    NoteKind,
)
from followthrough.coaching.models.meetings import default_questions
from followthrough.coaching.notes import add_item, add_note, save_reflections
from followthrough.coaching.steppedin import record_stepped_in
from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role

WEEKS = 13
AHEAD_DAYS = 28
PROMISE_TEAM, PROMISE_DAYS = "Benelux", 21
CAREFUL, HURRIED = "Maya Manager", "Otto Keller"


class Style:
    """How a manager follows through: shares of 1:1s missed and moved, reviews, stepping in."""

    def __init__(self, missed: float, moved: float, reviews: int, stepped_in: int, private: float):
        self.missed, self.moved = missed, moved
        self.reviews, self.stepped_in, self.private = reviews, stepped_in, private


STYLES = {
    CAREFUL: Style(missed=0.03, moved=0.08, reviews=3, stepped_in=1, private=0.35),
    HURRIED: Style(missed=0.3, moved=0.12, reviews=1, stepped_in=7, private=0.15),
}
DEFAULT_STYLE = Style(missed=0.12, moved=0.08, reviews=2, stepped_in=2, private=0.25)

WENT_WELL = [
    "I booked three discovery calls from the webinar list, two with the economic buyer.",
    "The demo for {deal} landed: their IT lead asked for a pilot proposal on the spot.",
    "I called instead of e-mailing the cold accounts, and got twice the replies.",
    "I brought my own plan for the shortfall before you asked: six calls a day on the renewals.",
    "Prepared the pricing call with the questions we practised; no discount needed so far.",
    "I finally got a second meeting at {deal} by sending the agenda the day before.",
    "Kept my CRM up to date every evening; no surprises in the pipeline review.",
]
BETTER = [
    "I let {deal} drift for two weeks: I should have asked for a next step in the meeting.",
    "Too many e-mails, too few calls on Tuesday and Wednesday.",
    "I talked too much in the discovery call and learnt little about their budget.",
    "I waited for the customer to come back on legal instead of offering a call with ours.",
    "I did not qualify the new inbound leads quickly enough; two went cold.",
    "I gave the discount before they asked for it.",
]
CHANGE = [
    "Block Monday and Thursday mornings for prospecting calls, phone first.",
    "End every meeting with a dated next step in the CRM.",
    "Ask two more questions about their decision process before any demo.",
    "Bring a mutual close plan to {deal} this week.",
    "Call the stale deals before Friday and close out the ones that are dead.",
    "Role-play the pricing objection with Sara before the next negotiation.",
]
FEEDBACK = [
    "Good self-assessment. The next step on {deal} is yours: agree a date with the buyer.",
    "The call-first habit shows in your first meetings; keep the morning blocks.",
    "Your discovery is getting sharper. Listen for budget and timing before you demo.",
    "Agreed on the close plan. Bring it to our next 1:1 and we will go through it together.",
    "You raised the legal blocker early, which is exactly right. Loop in legal yourself next time.",
    "Strong week. Let's look at why two inbound leads went cold and fix the hand-over.",
    "Hold the price: your value story is strong enough without the discount.",
]
PRIVATE = [
    "Confidence is dipping after the lost deal; keep the next goals reachable.",
    "Consider pairing with a senior rep on negotiation.",
    "Watch the close dates: pushed twice on the same deal.",
    "Doing well; candidate for the mentoring programme next quarter.",
    "Ask about workload at home, seemed tired.",
]
ITEMS = [
    "Pricing for multi-year deals",
    "Hand-over of the inbound leads",
    "Travel budget for the customer visit",
    "Feedback on my demo script",
    "Territory split with the new rep",
]
MISSED_BY = [MissedBy.MANAGER, MissedBy.MANAGER, MissedBy.REP, MissedBy.BOTH]
STEPPED_IN_NOTES = [
    "I ran the final negotiation call myself.",
    "Took over the pricing discussion with their CFO.",
    "Closed it on the phone while the rep was on holiday.",
    "Stepped in when procurement escalated.",
]


def seed(org: Organisation, today: dt.date) -> None:
    """Add this part's demo records to the demo organisation."""
    pairs = list(
        lines_on(org, today)
        .filter(manager__role=Role.MANAGER, person__role=Role.REP, person__is_active=True)
        .select_related("manager", "person", "team")
        .order_by("manager__name", "person__name")
    )
    if not pairs:
        return
    team = next((line.team for line in pairs if line.team and line.team.name == PROMISE_TEAM), None)
    if team is not None:
        settings = CoachingSettings(team=team, organisation=org, deal_review_days=PROMISE_DAYS)
        settings.save()
    weekday = today.weekday() if today.weekday() < 5 else 0
    first_day = today - dt.timedelta(weeks=WEEKS)
    slot_of: dict[int, int] = {}
    for line in pairs:
        slot = slot_of.get(line.manager_id, 0)
        slot_of[line.manager_id] = slot + 1
        minutes = 9 * 60 + slot * 45
        Cadence(
            organisation=org,
            manager=line.manager,
            rep=line.person,
            frequency=Frequency.WEEKLY,
            weekday=weekday,
            time=dt.time(minutes // 60, minutes % 60),
            starts_on=max(first_day, line.valid_from),
        ).save()
    schedule_meetings(org, today + dt.timedelta(days=AHEAD_DAYS))
    rng = random.Random(f"{org.slug}-meetings")
    deals = _open_deals(org)
    for line in pairs:
        _history(org, line.manager, line.person, today, rng, deals.get(line.person_id, []))
    for line in pairs:
        style = STYLES.get(line.manager.name, DEFAULT_STYLE)
        _reviews(org, line.manager, line.person, today, rng, style, deals.get(line.person_id, []))
    _stepped_in(org, pairs, today, rng)
    _upcoming_items(org, pairs, today, rng)


def _open_deals(org: Organisation) -> dict[int, list[Deal]]:
    found: dict[int, list[Deal]] = {}
    for deal in Deal.objects.filter(organisation=org, outcome=Outcome.OPEN).order_by("pk"):
        found.setdefault(deal.owner_id, []).append(deal)
    return found


def _fill(text: str, deals: list[Deal], rng: random.Random) -> str:
    name = str(rng.choice(deals)) if deals else "the Acme renewal"
    return text.format(deal=name)


def _hold(meeting: Meeting, rng: random.Random, style: Style, deals: list[Deal]) -> None:
    """Hold a meeting the way the coaching order says: the rep reflects, then the feedback."""
    rep, manager = meeting.rep, meeting.manager
    pools = (WENT_WELL, BETTER, CHANGE)
    answers = {
        question: _fill(rng.choice(pool), deals, rng)
        for question, pool in zip(default_questions(), pools, strict=True)
        if rng.random() < 0.92 or pool is WENT_WELL
    }
    save_reflections(rep, meeting, answers)
    add_note(manager, meeting, NoteKind.FEEDBACK, _fill(rng.choice(FEEDBACK), deals, rng))
    if rng.random() < style.private:
        add_note(manager, meeting, NoteKind.PRIVATE, rng.choice(PRIVATE))
    end_meeting(
        manager, meeting, MeetingStatus.HELD, now=meeting.scheduled_at + dt.timedelta(minutes=30)
    )


def _history(
    org: Organisation,
    manager: Person,
    rep: Person,
    today: dt.date,
    rng: random.Random,
    deals: list[Deal],
) -> None:
    style = STYLES.get(manager.name, DEFAULT_STYLE)
    past = (
        Meeting.objects.filter(
            manager=manager,
            rep=rep,
            status=MeetingStatus.SCHEDULED,
            scheduled_at__lt=at(org, today, dt.time.min),
        )
        .select_related("organisation", "rep", "manager")
        .order_by("scheduled_at")
    )
    for meeting in past:
        roll = rng.random()
        if roll < style.missed:
            end_meeting(
                manager,
                meeting,
                MeetingStatus.MISSED,
                missed_by=rng.choice(MISSED_BY),
                now=meeting.scheduled_at + dt.timedelta(hours=1),
            )
        elif roll < style.missed + style.moved and local_day(
            org, meeting.scheduled_at
        ) < today - dt.timedelta(days=2):
            moved = move_meeting(
                rep if rng.random() < 0.5 else manager,
                meeting,
                meeting.scheduled_at + dt.timedelta(days=1, hours=4),
            )
            _hold(moved, rng, style, deals)
        else:
            _hold(meeting, rng, style, deals)


def _reviews(
    org: Organisation,
    manager: Person,
    rep: Person,
    today: dt.date,
    rng: random.Random,
    style: Style,
    deals: list[Deal],
) -> None:
    """Deal reviews of the rep's open deals in the last three weeks."""
    for deal in rng.sample(deals, min(style.reviews, len(deals))):
        day = today - dt.timedelta(days=rng.randint(1, PROMISE_DAYS - 2))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        review = create_deal_review(manager, deal, at(org, day, dt.time(15, 0)))
        review = Meeting.objects.select_related("organisation", "rep", "manager").get(pk=review.pk)
        _hold(review, rng, style, [deal])


def _stepped_in(org: Organisation, pairs: list, today: dt.date, rng: random.Random) -> None:
    reps_of: dict[int, list[int]] = {}
    managers: dict[int, Person] = {}
    for line in pairs:
        reps_of.setdefault(line.manager_id, []).append(line.person_id)
        managers[line.manager_id] = line.manager
    since = today - dt.timedelta(weeks=WEEKS)
    for manager_id, rep_ids in reps_of.items():
        manager = managers[manager_id]
        style = STYLES.get(manager.name, DEFAULT_STYLE)
        won = list(
            Deal.objects.filter(
                organisation=org,
                owner_id__in=rep_ids,
                outcome=Outcome.WON,
                close_on__gte=since,
                close_on__lte=today,
            )
            .select_related("owner")
            .order_by("close_on", "pk")
        )
        for deal in rng.sample(won, min(style.stepped_in, len(won))):
            record_stepped_in(manager, deal, on=deal.close_on, note=rng.choice(STEPPED_IN_NOTES))


def _upcoming_items(org: Organisation, pairs: list, today: dt.date, rng: random.Random) -> None:
    """Each pair's next 1:1 already has something either side wants to discuss."""
    for line in pairs:
        upcoming = (
            Meeting.objects.filter(
                manager=line.manager,
                rep=line.person,
                status=MeetingStatus.SCHEDULED,
                scheduled_at__gte=at(org, today, dt.time.min),
            )
            .order_by("scheduled_at")
            .first()
        )
        if upcoming is None:
            continue
        add_item(line.person, upcoming, rng.choice(ITEMS))
        if rng.random() < 0.5:
            add_item(line.manager, upcoming, "Your forecast for the quarter")
