"""Activities: a rep's prospecting day, and the meetings, demos and follow-ups a deal needs."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable

from followthrough.crm.choices import ActivityOutcome as Result
from followthrough.crm.choices import ActivityType as Type
from followthrough.crm.choices import Direction
from followthrough.crm.demo import deals as stages
from followthrough.crm.demo.deals import Journey
from followthrough.crm.demo.profiles import Style

# Outcomes of a cold call, with their shares (meetings are booked from connected calls).
CALL_RESULTS = [
    (Result.NO_ANSWER, 0.46),
    (Result.VOICEMAIL, 0.27),
    (Result.CONNECTED, 0.19),
    (Result.BUSY, 0.05),
    (Result.WRONG_NUMBER, 0.03),
]
BOOKED_PER_CONNECT = 0.17
EMAIL_REPLIED = 0.035
BOOKED_PER_EMAIL = 0.009
FIRST_MEETING_SHOWS = 0.8


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def weekday(day: dt.date) -> dt.date:
    """The same day, or the Monday after it when it falls on a weekend."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def business_days_after(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


class Log:
    """Collects one rep's activities as ingest records with stable external ids."""

    def __init__(
        self,
        rng: random.Random,
        prefix: str,
        owner: str,
        zone: dt.tzinfo,
        *,
        bulk_logs: bool = False,
        last: dt.date | None = None,
    ):
        self.rng, self.prefix, self.owner, self.zone = rng, prefix, owner, zone
        self.bulk_logs, self.last = bulk_logs, last
        self.records: list[dict] = []

    def logged(self, at: dt.datetime) -> dt.datetime:
        """When the activity was entered in the CRM: minutes later, drawn without the random
        stream (so adding it moved no other record). A bulk logger enters every fourth
        week's activities on the Friday of the week after, at six."""
        number = len(self.records)
        if self.bulk_logs and at.isocalendar().week % 4 == 0:
            friday = at.date() + dt.timedelta(days=11 - at.weekday())
            if self.last is None or friday <= self.last:
                return dt.datetime(
                    friday.year, friday.month, friday.day, 18, number % 50, tzinfo=self.zone
                )
        return at + dt.timedelta(minutes=2 + number % 25)

    def at(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(8 * 60, 17 * 60 + 45)
        return dt.datetime(
            day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=self.zone
        )

    def add(
        self,
        day: dt.date,
        type: str,
        *,
        direction: str = Direction.OUTBOUND,
        cold: bool | None = False,
        outcome: str = "",
        seconds: int | None = None,
        subject: str = "",
        deal: str = "",
        account: str = "",
        at: dt.datetime | None = None,
    ) -> None:
        if type not in (Type.CALL, Type.EMAIL):
            # CRMs give meetings, demos and tasks no direction and no cold flag.
            direction, cold = "", None
        when = at or self.at(day)
        self.records.append(
            {
                "external_id": f"{self.prefix}-{len(self.records) + 1:06d}",
                "owner": self.owner,
                "type": type,
                "direction": direction,
                "is_cold": cold,
                "occurred_at": when.isoformat(),
                "logged_at": self.logged(when).isoformat(),
                "duration_seconds": seconds,
                "outcome": outcome,
                "subject": subject,
                "deal": deal,
                "account": account,
            }
        )


def _pick(rng: random.Random, shares: list[tuple[str, float]]) -> str:
    roll = rng.random()
    for value, share in shares:
        if roll < share:
            return value
        roll -= share
    return shares[-1][0]


def prospect(
    log: Log, day: dt.date, calls: int, emails: int, prospects: list[str]
) -> list[tuple[dt.date, str]]:
    """Log a day's cold calls and e-mails; returns the first meetings they booked."""
    rng, booked = log.rng, []
    for _ in range(calls):
        account = rng.choice(prospects)
        outcome = _pick(rng, CALL_RESULTS)
        seconds = None
        if outcome == Result.CONNECTED:
            seconds = rng.randint(60, 900)
            if rng.random() < BOOKED_PER_CONNECT:
                outcome = Result.MEETING_BOOKED
                booked.append((business_days_after(day, rng.randint(2, 8)), account))
        elif outcome == Result.VOICEMAIL:
            seconds = rng.randint(20, 70)
        log.add(
            day,
            Type.CALL,
            cold=True,
            outcome=outcome,
            seconds=seconds,
            subject="Cold call",
            account=account,
        )
    for _ in range(emails):
        account = rng.choice(prospects)
        outcome, roll = "", rng.random()
        if roll < BOOKED_PER_EMAIL:
            outcome = Result.MEETING_BOOKED
            booked.append((business_days_after(day, rng.randint(3, 10)), account))
        elif roll < BOOKED_PER_EMAIL + EMAIL_REPLIED:
            outcome = Result.REPLIED
        log.add(
            day, Type.EMAIL, cold=True, outcome=outcome, subject="Introduction", account=account
        )
    return booked


def first_meeting(
    log: Log, day: dt.date, account: str, deal: Callable[[], str], held: bool = False
) -> None:
    """A booked first meeting: held (and perhaps a new deal) or a no-show."""
    if not held and log.rng.random() >= FIRST_MEETING_SHOWS:
        log.add(day, Type.MEETING, outcome=Result.NO_SHOW, subject="First meeting", account=account)
        return
    seconds = log.rng.choice([1800, 2700, 3600])
    log.add(
        day,
        Type.MEETING,
        outcome=Result.FIRST_MEETING_HELD,
        seconds=seconds,
        subject="First meeting",
        deal=deal(),
        account=account,
    )


def deal_work(
    log: Log, style: Style, trip: Journey, deal: str, account: str, first: dt.date, last: dt.date
) -> None:
    """The meetings, demos, proposals and follow-ups behind a deal's history, within the data."""
    rng = log.rng
    steps = [s for s in trip.steps if s.moved]
    for index, step in enumerate(steps):
        if first <= step.on <= last:
            _stage_work(log, style, step.stage, step.on, deal, account, index == 0)
        until = steps[index + 1].on if index + 1 < len(steps) else last + dt.timedelta(days=1)
        if step.stage in (stages.CLOSED_WON, stages.CLOSED_LOST):
            break
        day = step.on + dt.timedelta(days=rng.randint(3, 9))
        while day < until:
            on = weekday(day)
            if first <= on <= last and on < until:
                _follow_up(log, style, on, deal, account)
            day += dt.timedelta(days=rng.randint(4, 11))


def _stage_work(
    log: Log, style: Style, stage: str, day: dt.date, deal: str, account: str, opened: bool
) -> None:
    rng, day = (
        log.rng,
        weekday(day) if stage not in (stages.CLOSED_WON, stages.CLOSED_LOST) else day,
    )
    if stage == stages.QUALIFICATION and not opened:
        log.add(
            day,
            Type.MEETING,
            outcome=Result.SECOND_MEETING_HELD,
            seconds=3600,
            subject="Discovery meeting",
            deal=deal,
            account=account,
        )
    elif opened and stage != stages.PROSPECTING:
        log.add(
            day,
            Type.MEETING,
            outcome=Result.COMPLETED,
            seconds=2700,
            subject="Account review",
            deal=deal,
            account=account,
        )
    elif stage == stages.DEMO:
        log.add(
            day,
            Type.DEMO,
            outcome=Result.COMPLETED,
            seconds=rng.choice([2700, 3600, 4500]),
            subject="Product demo",
            deal=deal,
            account=account,
        )
    elif stage == stages.PROPOSAL:
        log.add(
            day,
            Type.TASK,
            outcome=Result.COMPLETED,
            subject="Prepare proposal",
            deal=deal,
            account=account,
        )
        log.add(day, Type.EMAIL, subject="Proposal", deal=deal, account=account)
    elif stage == stages.NEGOTIATION:
        if style.calls:
            log.add(
                day,
                Type.CALL,
                outcome=Result.CONNECTED,
                seconds=rng.randint(900, 2400),
                subject="Negotiation call",
                deal=deal,
                account=account,
            )
        else:
            log.add(
                day,
                Type.MEETING,
                outcome=Result.COMPLETED,
                seconds=3600,
                subject="Negotiation meeting",
                deal=deal,
                account=account,
            )
    elif stage == stages.CLOSED_WON:
        log.add(
            day,
            Type.TASK,
            outcome=Result.COMPLETED,
            subject="Hand over to onboarding",
            deal=deal,
            account=account,
        )


def _follow_up(log: Log, style: Style, day: dt.date, deal: str, account: str) -> None:
    roll = log.rng.random()
    if roll < 0.25:
        log.add(
            day,
            Type.EMAIL,
            direction=Direction.INBOUND,
            cold=None,
            outcome=Result.REPLIED,
            subject="Re: next steps",
            deal=deal,
            account=account,
        )
    elif roll < 0.45 and style.calls:
        outcome = Result.CONNECTED if log.rng.random() < 0.6 else Result.VOICEMAIL
        seconds = (
            log.rng.randint(120, 1200) if outcome == Result.CONNECTED else log.rng.randint(20, 60)
        )
        log.add(
            day,
            Type.CALL,
            outcome=outcome,
            seconds=seconds,
            subject="Follow-up call",
            deal=deal,
            account=account,
        )
    else:
        log.add(day, Type.EMAIL, subject="Follow-up", deal=deal, account=account)
