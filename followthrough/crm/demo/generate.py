"""Turn rep profiles and a seed into the demo's CRM records, one rep at a time.

Each rep draws from their own random stream (seed + e-mail), so the same seed
gives the same records, and one rep's data hardly shifts when another's habits
change (only company names are kept unique across reps). Records are dicts
keyed by ingest field names.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from followthrough.crm.choices import DealType, Outcome
from followthrough.crm.demo import activities as work
from followthrough.crm.demo import catalog
from followthrough.crm.demo.deals import CLOSED_WON, OPEN_STAGES, Journey, journey, next_step
from followthrough.crm.demo.leads import Handover, SdrYear
from followthrough.crm.demo.profiles import (
    Habit,
    RepProfile,
    Style,
    prospecting_share,
    ramp,
    season,
    style_for,
)

CURRENCY = "EUR"
FIRST_MEETING_TO_DEAL = 0.55


@dataclass
class DemoData:
    """Every record of the demo, per ingest kind, in the order they must be written."""

    accounts: list[dict] = field(default_factory=list)
    products: list[dict] = field(default_factory=list)
    deals: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    leads: list[dict] = field(default_factory=list)

    def by_kind(self) -> list[tuple[str, list[dict]]]:
        return [
            ("accounts", self.accounts),
            ("products", self.products),
            ("deals", self.deals),
            ("deal-history", self.history),
            ("activities", self.activities),
            ("leads", self.leads),
        ]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


def catalog_name(product: str) -> str:
    return next(name for ext, name, _, _ in catalog.PRODUCTS if ext == product)


def generate(
    profiles: list[RepProfile], *, today: dt.date, months: int, seed: int, zone: dt.tzinfo
) -> DemoData:
    """The demo's records for `months` months of selling up to yesterday."""
    data = DemoData(products=catalog.product_records())
    names: set[str] = set()
    first, last = months_before(today, months), today - dt.timedelta(days=1)
    numbered = list(enumerate(profiles, start=1))
    handovers: dict[str, dict] = {}
    # SDRs first: the leads they qualify become their AEs' deals.
    for number, profile in numbered:
        if profile.habit == Habit.SDR:
            aes = [p for p in profiles if p.region == profile.region and p.habit != Habit.SDR]
            rng = random.Random(f"{seed}:{profile.email}")
            year = SdrYear(data, names, rng, f"R{number:03d}", profile, aes, first, last, zone)
            for email, by_day in year.run().items():
                for day, passed in by_day.items():
                    handovers.setdefault(email, {}).setdefault(day, []).extend(passed)
    for number, profile in numbered:
        if profile.habit != Habit.SDR:
            rng = random.Random(f"{seed}:{profile.email}")
            passed = handovers.get(profile.email, {})
            RepYear(data, names, rng, number, profile, first, last, zone, passed).run()
    pair_deals(data, profiles, random.Random(f"{seed}:pairs"), last)
    return data


# Pair selling: a few recent wins were sold with a colleague of the same region.
PAIRED_DEALS = 6
PAIRED_DAYS = 45


def pair_deals(
    data: DemoData, profiles: list[RepProfile], rng: random.Random, last: dt.date
) -> None:
    """Give a few deals won in the last weeks a co-owner from the owner's region.

    A stream of its own, drawn after every rep's: the rest of the demo stays as it was.
    Only steady reps and strong prospectors pair up: a shared win moves credit, and the
    other habits are there for the early warnings to find, unblurred (a small demo may
    have no two of them in one region, and then no pair).
    """
    region_of = {
        p.email: p.region for p in profiles if p.habit in (Habit.STEADY, Habit.STRONG_PROSPECTOR)
    }
    recent = [
        d
        for d in data.deals
        if d["outcome"] == Outcome.WON
        and d["close_on"] is not None
        and (last - d["close_on"]).days <= PAIRED_DAYS
        and d["owner"] in region_of
    ]
    for chosen in rng.sample(recent, min(PAIRED_DEALS, len(recent))):
        partners = sorted(
            email
            for email, region in region_of.items()
            if region == region_of[chosen["owner"]] and email != chosen["owner"]
        )
        if partners:
            chosen["co_owner"] = rng.choice(partners)


class RepYear:
    """One AE's year: territory, customers, prospecting, deals and their history."""

    def __init__(
        self,
        data: DemoData,
        names: set[str],
        rng: random.Random,
        number: int,
        profile: RepProfile,
        first: dt.date,
        last: dt.date,
        zone: dt.tzinfo,
        handovers: dict[dt.date, list[Handover]],
    ):
        self.data, self.names, self.rng = data, names, rng
        self.profile: RepProfile = profile
        self.style: Style = style_for(profile.habit, rng)
        self.first, self.last = first, last
        self.prefix = f"R{number:03d}"
        self.log = work.Log(
            rng, f"{self.prefix}-T", profile.email, zone, bulk_logs=self.style.bulk_logs, last=last
        )
        self.accounts: dict[str, dict] = {}
        self.deal_count = 0
        self.companies = 0
        self.handovers = handovers
        self.history_at: dict[str, dt.datetime] = {}

    # Accounts and deals

    def new_account(self) -> dict:
        return self.keep(self.company())

    def company(self) -> dict:
        """A company in the rep's territory, not yet an account in the CRM."""
        self.companies += 1
        ext = f"{self.prefix}-A{self.companies:04d}"
        return catalog.account_record(
            self.rng, ext, self.rng.choice(self.profile.countries), self.names
        )

    def keep(self, account: dict) -> dict:
        self.accounts[account["external_id"]] = account
        self.data.accounts.append(account)
        return account

    def open_deal(
        self,
        created_on: dt.date,
        account: dict,
        deal_type: str,
        product: str,
        amount: Decimal | None,
        close_on: dt.date | None = None,
    ) -> tuple[str, Journey]:
        self.deal_count += 1
        ext = f"{self.prefix}-D{self.deal_count:05d}"
        trip = journey(
            self.rng, self.style, created_on, deal_type, amount, self.last, close_on=close_on
        )
        step_name, step_on = next_step(self.rng, trip, self.last)
        loss_reason = trip.loss_reason if self.rng.random() < 0.85 else ""
        self.data.deals.append(
            {
                "external_id": ext,
                "name": f"{account['name']}: {catalog_name(product)}",
                "owner": self.profile.email,
                "account": account["external_id"],
                "product": product,
                "amount": trip.last.amount,
                "currency": CURRENCY,
                "created_on": created_on,
                "close_on": trip.last.close_on,
                "stage": trip.last.stage,
                "outcome": trip.outcome,
                "deal_type": deal_type,
                "loss_reason": loss_reason,
                "next_step": step_name,
                "next_step_on": step_on,
            }
        )
        for step in trip.steps:
            self.data.history.append(
                {
                    "deal": ext,
                    "to_stage": step.stage,
                    "changed_at": self.moment(ext, step.on).isoformat(),
                    "close_on": step.close_on,
                    "amount": step.amount,
                }
            )
        work.deal_work(
            self.log, self.style, trip, ext, account["external_id"], self.first, self.last
        )
        if trip.outcome == Outcome.WON:
            self.expand(account, trip.last.on, product, trip.last.amount)
        return ext, trip

    def moment(self, deal: str, day: dt.date) -> dt.datetime:
        """A time on `day` after the deal's previous change (history keeps its order)."""
        at = self.log.at(day)
        before = self.history_at.get(deal)
        if before is not None and at <= before:
            at = before + dt.timedelta(minutes=self.rng.randint(1, 20))
        self.history_at[deal] = at
        return at

    def new_business(self, created_on: dt.date, account: dict) -> str:
        product = "P-ENT" if account["segment"] == "Enterprise" else "P-CORE"
        amount = catalog.deal_size(self.rng, account["segment"], product)
        # Early opportunities often have no amount yet; it comes with the proposal.
        return self.open_deal(
            created_on,
            account,
            DealType.NEW_BUSINESS,
            product,
            None if self.rng.random() < 0.08 else amount,
        )[0]

    def expand(self, account: dict, won_on: dt.date, product: str, amount) -> None:
        """A won customer may buy more later: an upsell of the platform or another product."""
        created = work.weekday(won_on + dt.timedelta(days=self.rng.randint(60, 240)))
        self.expand_on(account, created, product, amount)

    def expand_on(self, account: dict, created: dt.date, product: str, amount) -> None:
        roll = self.rng.random()
        if roll > 0.4 or created > self.last:
            return
        if roll < 0.22 and product in catalog.PLATFORMS:
            size = Decimal(
                round((amount or catalog.PRICE[product]) * Decimal(self.rng.uniform(0.2, 0.45)), -2)
            )
            self.open_deal(created, account, DealType.UPSELL, product, size)
        else:
            extra = self.rng.choice(catalog.ADD_ONS)
            self.open_deal(
                created,
                account,
                DealType.CROSS_SELL,
                extra,
                catalog.deal_size(self.rng, account["segment"], extra),
            )

    def customers(self) -> None:
        """Customers won before the data starts: their first deal, renewals and expansions."""
        for _ in range(self.rng.randint(5, 8)):
            account = self.new_account()
            closed = work.weekday(self.first - dt.timedelta(days=self.rng.randint(20, 700)))
            created = work.weekday(closed - dt.timedelta(days=self.rng.randint(40, 110)))
            product = "P-ENT" if account["segment"] == "Enterprise" else "P-CORE"
            amount = catalog.deal_size(self.rng, account["segment"], product)
            self.won_before(created, closed, account, product, amount)
            window = (self.last - self.first).days
            self.expand_on(
                account,
                work.weekday(self.first + dt.timedelta(days=self.rng.randint(0, window))),
                product,
                amount,
            )
            renew_on = closed
            while True:
                renew_on = months_before(renew_on, -12)
                opened = work.weekday(renew_on - dt.timedelta(days=self.rng.randint(60, 90)))
                if opened > self.last:
                    break
                if opened >= self.first - dt.timedelta(days=90):
                    amount = Decimal(round(amount * Decimal(self.rng.uniform(1.0, 1.08)), -2))
                    _, trip = self.open_deal(
                        opened, account, DealType.RENEWAL, product, amount, close_on=renew_on
                    )
                    if trip.outcome == Outcome.LOST:
                        break

    def won_before(self, created, closed, account, product, amount) -> None:
        """A deal won before the data starts, with its history spread over its cycle."""
        self.deal_count += 1
        ext = f"{self.prefix}-D{self.deal_count:05d}"
        self.data.deals.append(
            {
                "external_id": ext,
                "name": f"{account['name']}: {catalog_name(product)}",
                "owner": self.profile.email,
                "account": account["external_id"],
                "product": product,
                "amount": amount,
                "currency": CURRENCY,
                "created_on": created,
                "close_on": closed,
                "stage": CLOSED_WON,
                "outcome": Outcome.WON,
                "deal_type": DealType.NEW_BUSINESS,
                "loss_reason": "",
                "next_step": "",
                "next_step_on": None,
            }
        )
        span = (closed - created).days
        for index, stage in enumerate([*OPEN_STAGES, CLOSED_WON]):
            on = created + dt.timedelta(days=span * index // len(OPEN_STAGES))
            self.data.history.append(
                {
                    "deal": ext,
                    "to_stage": stage,
                    "changed_at": self.moment(ext, on).isoformat(),
                    "close_on": closed,
                    "amount": amount,
                }
            )

    # The year, day by day

    def run(self) -> None:
        profile = self.profile
        prospects = [self.new_account()["external_id"] for _ in range(40 + 3 * self.months())]
        established = profile.started_on < self.first - dt.timedelta(days=60)
        if established:
            self.customers()
            self.pipeline_before(prospects)
        booked: dict[dt.date, list[str]] = {}
        day = max(self.first, profile.started_on)
        while day <= self.last:
            if day.weekday() < 5:
                self.work_day(day, prospects, booked)
            day += dt.timedelta(days=1)
        self.data.activities.extend(self.log.records)

    def months(self) -> int:
        return round((self.last - self.first).days / 30.4)

    def pipeline_before(self, prospects: list[str]) -> None:
        """Deals already open when the data starts, from prospecting before it."""
        day = self.first - dt.timedelta(days=120)
        while day < self.first:
            if day.weekday() < 5 and self.rng.random() < 0.2:
                self.new_business(day, self.accounts[self.rng.choice(prospects)])
            day += dt.timedelta(days=1)

    def work_day(self, day: dt.date, prospects: list[str], booked: dict) -> None:
        rng, style, profile = self.rng, self.style, self.profile
        effort = ramp(profile, day) * season(day)
        calls = emails = 0
        share = prospecting_share(profile.habit, day, self.last)
        if share:
            calls = work.poisson(rng, style.calls_per_day * effort * share)
            emails = work.poisson(rng, style.emails_per_day * effort * share)
        for meeting_on, account in work.prospect(self.log, day, calls, emails, prospects):
            booked.setdefault(meeting_on, []).append(account)
        for account in booked.pop(day, []):
            work.first_meeting(self.log, day, account, lambda a=account: self.maybe_deal(day, a))
        for handover in self.handovers.pop(day, []):
            account = self.keep(handover.company)
            deal = self.new_business(day, account)
            handover.lead["converted_deal"] = deal
            work.first_meeting(self.log, day, account["external_id"], lambda d=deal: d, held=True)

    def maybe_deal(self, day: dt.date, account: str) -> str:
        if self.rng.random() >= FIRST_MEETING_TO_DEAL:
            return ""
        return self.new_business(day, self.accounts[account])
