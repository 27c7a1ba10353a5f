"""Inbound leads worked by SDRs: first contact, follow-ups, and qualified leads handed to an AE."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from followthrough.crm.choices import ActivityOutcome, ActivityType
from followthrough.crm.demo import activities as work
from followthrough.crm.demo import catalog
from followthrough.crm.demo.profiles import RepProfile, season, style_for

LEAD_SOURCES = ["Website", "Webinar", "Referral", "Event", "Content download"]
LEADS_PER_AE_DAY = 0.15
NEVER_CONTACTED = 0.1
QUALIFIED = 0.3
DISQUALIFIED = 0.6  # of those not qualified; the rest are still being worked
PEOPLE_FIRST = ["Anna", "Ben", "Chloé", "David", "Eva", "Finn", "Greta", "Hugo", "Iris", "Jan"]
PEOPLE_LAST = ["Jansen", "Müller", "Smith", "Dubois", "Rossi", "Novak", "Berg", "Costa", "Ward"]


@dataclass
class Handover:
    """A qualified lead passed to an AE: the first meeting is theirs, and the deal."""

    day: dt.date
    lead: dict  # the lead record; the AE fills in its converted deal
    company: dict  # the account record, kept once the deal exists


class SdrYear:
    """One SDR's year of inbound leads for the AEs of their region."""

    def __init__(
        self,
        data,
        names: set[str],
        rng: random.Random,
        prefix: str,
        profile: RepProfile,
        aes: list[RepProfile],
        first: dt.date,
        last: dt.date,
        zone: dt.tzinfo,
    ):
        self.data, self.names, self.rng, self.prefix = data, names, rng, prefix
        self.profile, self.aes, self.first, self.last = profile, aes, first, last
        self.style = style_for(profile.habit, rng)
        self.log = work.Log(rng, f"{prefix}-T", profile.email, zone)
        self.count = 0
        self.handovers: dict[str, dict[dt.date, list[Handover]]] = {}

    def run(self) -> dict[str, dict[dt.date, list[Handover]]]:
        """Work every lead; returns the handovers per AE e-mail and day."""
        day = max(self.first, self.profile.started_on)
        while day <= self.last:
            active = [ae for ae in self.aes if ae.started_on <= day]
            if day.weekday() < 5 and active:
                mean = LEADS_PER_AE_DAY * len(active) * season(day)
                for _ in range(work.poisson(self.rng, mean)):
                    self.lead(day, self.rng.choice(active))
            day += dt.timedelta(days=1)
        self.data.activities.extend(self.log.records)
        return self.handovers

    def lead(self, day: dt.date, ae: RepProfile) -> None:
        """A lead from `ae`'s territory: contacted (or not), then qualified or dropped."""
        rng = self.rng
        self.count += 1
        company = catalog.account_record(
            rng, f"{self.prefix}-A{self.count:05d}", rng.choice(ae.countries), self.names
        )
        record = {
            "external_id": f"{self.prefix}-L{self.count:05d}",
            "name": f"{rng.choice(PEOPLE_FIRST)} {rng.choice(PEOPLE_LAST)}",
            "company": company["name"],
            "lead_source": rng.choice(LEAD_SOURCES),
            "owner": self.profile.email,
            "created_on": day,
            "first_contact_at": None,
            "status": "New",
            "converted_deal": "",
            "converted_on": None,
        }
        self.data.leads.append(record)
        if rng.random() < NEVER_CONTACTED:
            return  # no first contact: left empty, not guessed
        contacted = self.log.at(work.business_days_after(day, rng.choice([0, 0, 0, 1, 2])))
        if contacted.date() > self.last:
            return
        record["first_contact_at"] = contacted.isoformat()
        record["status"] = "Working"
        self.touch(contacted.date(), record, at=contacted)
        decided = work.business_days_after(contacted.date(), rng.randint(3, 10))
        touch = work.business_days_after(contacted.date(), rng.randint(1, 3))
        while touch < decided and touch <= self.last:
            self.touch(touch, record)
            touch = work.business_days_after(touch, rng.randint(1, 3))
        if decided > self.last:
            return
        if rng.random() < QUALIFIED:
            record["status"] = "Qualified"
            record["converted_on"] = decided
            by_day = self.handovers.setdefault(ae.email, {})
            by_day.setdefault(decided, []).append(Handover(decided, record, company))
        elif rng.random() < DISQUALIFIED:
            record["status"] = "Disqualified"

    def touch(self, day: dt.date, record: dict, at: dt.datetime | None = None) -> None:
        call = self.rng.random() < 0.6
        outcome = ""
        if call:
            outcome = self.rng.choice(
                [ActivityOutcome.CONNECTED, ActivityOutcome.NO_ANSWER, ActivityOutcome.VOICEMAIL]
            )
        self.log.add(
            day,
            ActivityType.CALL if call else ActivityType.EMAIL,
            at=at,
            outcome=outcome,
            seconds=self.rng.randint(120, 900) if outcome == ActivityOutcome.CONNECTED else None,
            subject=f"Lead follow-up ({record['lead_source']})",
        )
