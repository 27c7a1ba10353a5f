"""Badges earned by rule, for a whole organisation at once (nightly, and by the demo).

A constant number of set-based queries however many people: the badges, the awards
already made, first wins (one GROUP BY), certifications, reporting lines, the goals
(load_targets) and two metric-engine computations (months and weeks). Figures come
only from the metric engine, so a badge agrees with the scorecard. Idempotent: an
award exists once per (badge, person, occasion), so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min

from followthrough.crm.choices import Outcome
from followthrough.crm.models import Deal
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import PeriodKind, last_periods, period_of, shift
from followthrough.metrics import engine
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Organisation, Person, Role
from followthrough.programs.models import MilestoneCompletion, MilestoneKind
from followthrough.recognition import rules_months as months_rules
from followthrough.recognition.badges import badge_for_rule, ensure_badges
from followthrough.recognition.kudos import settings_for
from followthrough.recognition.models import BadgeAward, Rule
from followthrough.scorecards.figures import ADDITIVE

HISTORY_MONTHS = 12  # a record month is a record against this much history
STREAK_WINDOW = 26  # weeks looked back for streaks


@dataclass
class RuleRun:
    """What one run awarded, per rule."""

    awarded: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.awarded.values())


def _completed_months(today: dt.date, count: int) -> list:
    last = shift(period_of(PeriodKind.MONTH, today), -1)
    return last_periods(last, count)


def _completed_weeks(today: dt.date, count: int) -> list:
    last = shift(period_of(PeriodKind.WEEK, today), -1)
    return last_periods(last, count)


def award_rule_badges(
    org: Organisation, today: dt.date | None = None, *, months: int = 1
) -> RuleRun:
    """Award every rule badge earned by `today`; month rules look at the last `months`."""
    today = today or today_for(org)
    badges = ensure_badges(org)
    people = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).only(
            "pk", "role_since", "organisation_id"
        )
    )
    reps = {p.pk: p.role_since for p in people}
    found: dict[str, list[months_rules.Found]] = {
        Rule.FIRST_DEAL: _first_deals(org, today),
        Rule.CERTIFIED: _certifications(org, today),
    }
    found.update(_month_rules(org, today, reps, months))
    found[Rule.STREAK] = _streaks(org, today, people, settings_for(org).streak_weeks)
    return _save(org, badges, found)


def _first_deals(org: Organisation, today: dt.date) -> list[months_rules.Found]:
    rows = (
        Deal.objects.filter(
            organisation=org,
            outcome=Outcome.WON,
            owner__isnull=False,
            owner__is_active=True,
            close_on__lte=today,
        )
        .values("owner_id")
        .annotate(first=Min("close_on"))
    )
    return [
        months_rules.Found(r["owner_id"], "first", r["first"], {"won_on": r["first"].isoformat()})
        for r in rows
    ]


def _certifications(org: Organisation, today: dt.date) -> list[months_rules.Found]:
    rows = MilestoneCompletion.objects.filter(
        organisation=org, milestone__kind=MilestoneKind.CERTIFICATION, done_on__lte=today
    ).values("pk", "enrolment__person_id", "done_on", "milestone__name")
    return [
        months_rules.Found(
            r["enrolment__person_id"],
            f"certification-{r['pk']}",
            r["done_on"],
            {"milestone": r["milestone__name"], "done_on": r["done_on"].isoformat()},
        )
        for r in rows
    ]


def _month_rules(org, today, reps: dict, months: int) -> dict[str, list]:
    periods = _completed_months(today, HISTORY_MONTHS + months)
    evaluate = periods[-months:]
    results = engine.compute(org, list(months_rules.RECORD_KEYS), periods, list(reps))

    def figure(pid, key, period):
        return results.get(pid, key, period).value

    teams_by_month: dict[str, dict[int, list[int]]] = {}
    for month in evaluate:
        members = defaultdict(list)
        rows = lines_on(org, month.end).filter(person_id__in=list(reps), team__isnull=False)
        for pid, team_id in rows.values_list("person_id", "team_id"):
            members[team_id].append(pid)
        teams_by_month[month.key] = members
    improved = []
    for month in evaluate:
        improved += months_rules.most_improved(teams_by_month[month.key], periods, [month], figure)
    return {
        Rule.RECORD_MONTH: months_rules.record_months(reps, periods, evaluate, figure),
        Rule.MOST_IMPROVED: improved,
    }


def _streaks(org, today, people: list[Person], length: int) -> list[months_rules.Found]:
    weeks = _completed_weeks(today, STREAK_WINDOW)
    ids = [p.pk for p in people]
    book = load_targets(org, None, weeks[0].start, weeks[-1].end, person_ids=ids)
    catalog = engine.get_metrics(org)
    # Counts and sums that should go up: a weekly share of them is meaningful.
    eligible = {
        key
        for key, metric in catalog.items()
        if str(metric.kind) in ADDITIVE and metric.higher_is_better
    }
    keys = {pid: sorted(book.keys_with_goals(pid) & eligible) for pid in ids}
    wanted = sorted({k for ks in keys.values() for k in ks})
    if not wanted:
        return []
    results = engine.compute(org, wanted, weeks, ids)
    by_id = {p.pk: p for p in people}
    flags = months_rules.week_flags(
        ids,
        weeks,
        keys.__getitem__,
        lambda pid, key, week: results.get(pid, key, week).value,
        lambda pid, key, week: book.person_target(by_id[pid], key, week),
    )
    return months_rules.streaks(flags, weeks, length)


def _save(org, badges, found: dict[str, list[months_rules.Found]]) -> RuleRun:
    run = RuleRun()
    done = set(
        BadgeAward.objects.filter(organisation=org).values_list("badge_id", "person_id", "occasion")
    )
    rows = []
    for rule, items in found.items():
        badge = badge_for_rule(badges, rule)
        if badge is None:
            continue
        count = 0
        for item in items:
            if (badge.pk, item.person_id, item.occasion) in done:
                continue
            done.add((badge.pk, item.person_id, item.occasion))
            rows.append(
                BadgeAward(
                    organisation=org,
                    person_id=item.person_id,
                    badge=badge,
                    occasion=item.occasion,
                    awarded_on=item.on,
                    reason=badge.description,
                    source=f"rule:{rule}",
                    evidence=item.evidence,
                )
            )
            count += 1
        run.awarded[str(rule)] = count
    BadgeAward.objects.bulk_create(rows, ignore_conflicts=True)
    return run
