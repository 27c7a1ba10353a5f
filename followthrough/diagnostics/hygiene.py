"""CRM hygiene: the open deals that need a look before the CRM becomes a ghost town.

The rules (docs/diagnostics.md, "CRM hygiene"), each on one open deal, thresholds from
the team's settings (diagnostics/thresholds.py):
- stale: no activity on the deal for `stale_days` (21) days or more (a deal created
  since counts from its creation);
- close_past: its expected close date has passed;
- no_next_step / next_step_past: no next step, or its date has passed, only for deals
  from a CRM that fills next steps at all (a source none of whose open deals has one
  is never flagged: its export simply has no such field);
- stage_skipped: it jumped over a stage the team's deals rarely skip (stage_order.py);
- open_too_long: open longer than `long_open_factor` (2) × the team's median won cycle
  (won deals closed in the year before, at least MIN_CYCLE_DEALS of them; else the
  organisation's).

The hygiene score of a person is the share of their open deals with no issue.
`check` and `review` list the issues deal by deal (the pages, for one team); `tally`
counts them in the database by the same rules (the nightly run, for everyone: only the
counts per person are kept). Each costs a fixed number of queries whatever the number
of people. `review_days` answers the same rules as of past days, from the deal history
(everything but the next step, which CRMs keep only as it is now).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followthrough.crm.choices import ChangedField, Outcome
from followthrough.crm.models import Activity, Deal, DealChange, DealStageChange
from followthrough.diagnostics import hygiene_counts as counted
from followthrough.diagnostics.findings import Said
from followthrough.diagnostics.hygiene_counts import Limits, count_issues
from followthrough.diagnostics.models import DiagnosticSettings, HygieneScore
from followthrough.diagnostics.scope import team_of_each
from followthrough.diagnostics.stage_order import StageOrder, stage_order
from followthrough.diagnostics.thresholds import thresholds_by_team
from followthrough.metrics.expressions import DaysBetween
from followthrough.people.models import Organisation, Person, Role

# A team's measured cycle needs this many won deals; fewer: the organisation's.
MIN_CYCLE_DEALS = 5
# The won deals a cycle is measured on: those closed in the year before the day.
CYCLE_WINDOW_DAYS = 365


class Rule(enum.StrEnum):
    STALE = "stale"
    CLOSE_PAST = "close_past"
    NO_NEXT_STEP = "no_next_step"
    NEXT_STEP_PAST = "next_step_past"
    STAGE_SKIPPED = "stage_skipped"
    OPEN_TOO_LONG = "open_too_long"

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self])


RULE_LABELS = {
    Rule.STALE: _("No recent activity"),
    Rule.CLOSE_PAST: _("Close date passed"),
    Rule.NO_NEXT_STEP: _("No next step"),
    Rule.NEXT_STEP_PAST: _("Next step overdue"),
    Rule.STAGE_SKIPPED: _("Stage skipped"),
    Rule.OPEN_TOO_LONG: _("Open too long"),
}

# A CRM keeps a deal's next step only as it is now: these rules cannot be replayed.
NEXT_STEP_RULES = (Rule.NO_NEXT_STEP, Rule.NEXT_STEP_PAST)
# HygieneScore.issues also keeps the deals clean on the replayable rules, so the score's
# history compares like with like (the backfill has no next steps to judge).
REPLAYABLE_CLEAN = "_replayable_clean"

# What each rule says about a deal, with its numbers.
SAYS = {
    Rule.STALE: gettext_noop(
        "No activity since %(since)s (%(days)s d); the team looks again after %(limit)s d."
    ),
    Rule.CLOSE_PAST: gettext_noop(
        "Expected to close on %(date)s (%(days)s d ago): still open. Update the date or close it."
    ),
    Rule.NO_NEXT_STEP: gettext_noop("No next step is written down."),
    Rule.NEXT_STEP_PAST: gettext_noop(
        "The next step (%(step)s) was due on %(date)s (%(days)s d ago)."
    ),
    Rule.STAGE_SKIPPED: gettext_noop(
        "Moved from %(from)s to %(to)s on %(date)s, skipping %(skipped)s, which the "
        "team's deals rarely skip."
    ),
    Rule.OPEN_TOO_LONG: gettext_noop(
        "Open for %(days)s d: more than %(factor)s × the team's median won cycle of %(cycle)s d."
    ),
}


# What str.strip() strips: a next step of only these is none, in Python and in SQL alike.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def stale_since(day: dt.date, limits: DiagnosticSettings) -> dt.date:
    """A deal last touched (or created) on or before this day is stale on `day`."""
    return day - dt.timedelta(days=limits.stale_days)


def too_old_since(
    day: dt.date, limits: DiagnosticSettings, cycle: Decimal | None
) -> dt.date | None:
    """A deal created on or before this day is open too long on `day`: its age in days is
    over `long_open_factor` × the median won cycle (None: no cycle to judge by)."""
    if not cycle:
        return None
    return day - dt.timedelta(days=math.floor(limits.long_open_factor * cycle) + 1)


@dataclass(frozen=True)
class DealIssue:
    """One rule broken by one open deal, with the numbers that say why."""

    deal_id: int
    deal_name: str
    person_id: int
    rule: Rule
    params: dict = field(default_factory=dict, hash=False, compare=False)
    record_id: int | None = None  # the stage change behind a skip

    @property
    def said(self) -> Said:
        return Said(SAYS[self.rule], self.params)


@dataclass
class RepHygiene:
    """One person's open deals on one day: how many, how many clean, and their issues."""

    person_id: int
    day: dt.date
    open_deals: int = 0
    issues: list[DealIssue] = field(default_factory=list)

    @property
    def flagged_deals(self) -> int:
        return len({issue.deal_id for issue in self.issues})

    @property
    def clean_deals(self) -> int:
        return self.open_deals - self.flagged_deals

    @property
    def score(self) -> int:
        """Share of open deals with no issue, 0-100 (100 with no open deals)."""
        if not self.open_deals:
            return 100
        return round(100 * self.clean_deals / self.open_deals)

    @property
    def replayable_clean(self) -> int:
        """Open deals with no issue but the next-step ones: what the history can replay."""
        flagged = {i.deal_id for i in self.issues if i.rule not in NEXT_STEP_RULES}
        return self.open_deals - len(flagged)

    def counts(self) -> dict[str, int]:
        """Rule key -> open deals it flagged."""
        found: dict[str, set[int]] = defaultdict(set)
        for issue in self.issues:
            found[issue.rule].add(issue.deal_id)
        return {rule: len(deals) for rule, deals in found.items()}

    def tallied(self) -> HygieneCounts:
        return HygieneCounts(
            self.person_id,
            self.day,
            self.open_deals,
            self.clean_deals,
            self.replayable_clean,
            {str(rule): n for rule, n in self.counts().items()},
            len(self.issues),
        )


@dataclass
class HygieneCounts:
    """One person's open deals on one day in numbers: what their HygieneScore row keeps."""

    person_id: int
    day: dt.date
    open_deals: int = 0
    clean_deals: int = 0
    replayable_clean: int = 0
    rules: dict[str, int] = field(default_factory=dict)  # rule -> open deals it flagged
    issues: int = 0  # a deal may have several (two skips: two issues)

    def counts(self) -> dict[str, int]:
        return self.rules


@dataclass
class OpenDeal:
    pk: int
    name: str
    owner_id: int
    source: str
    created_on: dt.date | None
    close_on: dt.date | None
    stage: str
    next_step: str
    next_step_on: dt.date | None
    outcome: str


@dataclass
class Facts:
    """What the rules read, loaded once for many people (and, for the history, many days)."""

    deals: list[OpenDeal]
    activity_days: dict[int, list[dt.date]]  # deal id -> days with activity, sorted
    moves: dict[int, list[tuple]]  # deal id -> (id, from, to, changed_on) in order
    close_changes: dict[int, list[tuple]]  # deal id -> (changed_on, old, new) in order
    won_cycles: list[tuple[int, dt.date, int, int]]  # (owner, close day, days, deals)
    next_step_sources: set[str]
    order: StageOrder
    team_of: dict[int, int]
    settings: dict[int, DiagnosticSettings]
    default: DiagnosticSettings


def check(
    org: Organisation, person_ids: Collection[int], today: dt.date
) -> dict[int, list[DealIssue]]:
    """Person id -> the issues of their open deals today (a fixed number of queries)."""
    return {pk: rep.issues for pk, rep in review(org, person_ids, today).items()}


def review(
    org: Organisation,
    person_ids: Collection[int],
    today: dt.date,
    order: StageOrder | None = None,
) -> dict[int, RepHygiene]:
    """Person id -> their open deals today, with the issues (every person given has an entry);
    `order`: the stage order as of today, when already read (the nightly run shares it)."""
    facts = _load(org, list(person_ids), today, today, current=True, order=order)
    return _evaluate(facts, list(person_ids), today, current=True)


def review_days(
    org: Organisation, person_ids: Collection[int], days: Sequence[dt.date]
) -> dict[dt.date, dict[int, RepHygiene]]:
    """The same rules as of past days, from the history (no next-step rules: see the docstring)."""
    days = sorted(days)
    facts = _load(org, list(person_ids), days[0], days[-1], current=False)
    return {day: _evaluate(facts, list(person_ids), day, current=False) for day in days}


def tally(
    org: Organisation,
    person_ids: Collection[int],
    today: dt.date,
    order: StageOrder | None = None,
) -> dict[int, HygieneCounts]:
    """Person id -> the counts of `review` (every person given has an entry), counted by the
    database: no deal is brought into Python (a fixed number of queries); `order`: the
    stage order as of today, when already read (the nightly run shares it)."""
    people = list(person_ids)
    order = order or stage_order(org, today)
    won_cycles = _won_cycles(org, today, today)
    team_of = team_of_each(org, today, set(people) | {row[0] for row in won_cycles})
    settings = thresholds_by_team(org, set(team_of.values()))
    default = DiagnosticSettings(organisation=org)
    medians, overall = _median_cycles(won_cycles, team_of, today)
    limits = {}
    for pk in people:
        team = team_of.get(pk)
        mine = settings.get(team) or default
        cycle = medians.get(team, overall)
        limits[pk] = Limits(stale_since(today, mine), too_old_since(today, mine, cycle))
    skips = [(a, b) for (a, b) in order.moves if order.skipped(a, b)]
    found = {pk: HygieneCounts(pk, today) for pk in people}
    for group in count_issues(org.pk, limits, today, skips, WHITESPACE):
        _add_group(found[group.owner_id], group)
    return found


# Each rule's bit in hygiene_counts' groups.
RULE_BITS = {
    Rule.STALE: counted.STALE,
    Rule.CLOSE_PAST: counted.CLOSE_PAST,
    Rule.NO_NEXT_STEP: counted.NO_NEXT_STEP,
    Rule.NEXT_STEP_PAST: counted.NEXT_STEP_PAST,
    Rule.STAGE_SKIPPED: counted.STAGE_SKIPPED,
    Rule.OPEN_TOO_LONG: counted.OPEN_TOO_LONG,
}


def _add_group(counts: HygieneCounts, group: counted.Group) -> None:
    """Add an owner's open deals that break the same rules to their counts."""
    counts.open_deals += group.deals
    if not group.broken:
        counts.clean_deals += group.deals
    if not group.broken & ~counted.NEXT_STEP:
        counts.replayable_clean += group.deals
    for rule, bit in RULE_BITS.items():
        if group.breaks(bit):
            counts.rules[str(rule)] = counts.rules.get(str(rule), 0) + group.deals
            # A deal skipping twice has two issues: one per move.
            counts.issues += group.skips if rule == Rule.STAGE_SKIPPED else group.deals


def record_scores(org: Organisation, today: dt.date) -> int:
    """Today's HygieneScore of every active rep (the nightly run); returns the rows written."""
    people = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).values_list(
            "pk", flat=True
        )
    )
    return save_scores(org, {today: tally(org, people, today)})


def save_scores(
    org: Organisation, by_day: dict[dt.date, dict[int, RepHygiene | HygieneCounts]]
) -> int:
    rows = [
        HygieneScore(
            organisation=org,
            person_id=rep.person_id,
            day=day,
            open_deals=rep.open_deals,
            clean_deals=rep.clean_deals,
            issues={**rep.counts(), REPLAYABLE_CLEAN: rep.replayable_clean},
        )
        for day, reps in by_day.items()
        for rep in reps.values()
    ]
    with transaction.atomic():
        HygieneScore.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["person", "day"],
            update_fields=["open_deals", "clean_deals", "issues"],
        )
    return len(rows)


# Loading


def _load(
    org: Organisation,
    people: list[int],
    first: dt.date,
    last: dt.date,
    *,
    current: bool,
    order: StageOrder | None = None,
) -> Facts:
    """The deals open at some time in [first, last] and what the rules read about them."""
    # Open on a day D: created by D and not closed before D (close_on is the actual day once
    # closed). Today's check needs only the deals open now.
    deals_q = Deal.objects.filter(organisation=org, owner_id__in=people)
    if current:
        deals_q = deals_q.filter(outcome=Outcome.OPEN)
    else:
        deals_q = deals_q.filter(created_on__lte=last).filter(
            Q(outcome=Outcome.OPEN) | Q(close_on__gte=first)
        )
    # Sorted here rather than in SQL: an ORDER BY owner makes SQLite walk the owner index
    # and read every deal of the people, open or not.
    deals = sorted(
        (
            OpenDeal(*row)
            for row in deals_q.values_list(
                "pk",
                "name",
                "owner_id",
                "source",
                "created_on",
                "close_on",
                "stage",
                "next_step",
                "next_step_on",
                "outcome",
            ).order_by()
        ),
        key=lambda deal: (deal.owner_id, deal.pk),
    )
    ids = deals_q.values("pk")
    order = order or stage_order(org, last)
    activity_days: dict[int, list[dt.date]] = defaultdict(list)
    activities = Activity.objects.filter(organisation=org, deal_id__in=ids, occurred_on__lte=last)
    if first == last:  # one day: the last activity by then is all the rules read
        for deal_id, day in (
            activities.values("deal_id")
            .annotate(day=Max("occurred_on"))
            .values_list("deal_id", "day")
        ):
            activity_days[deal_id].append(day)
    else:
        for deal_id, day in (
            activities.values_list("deal_id", "occurred_on")
            .distinct()
            .order_by("deal_id", "occurred_on")
        ):
            activity_days[deal_id].append(day)
    # Only the moves the rules can flag: those over a stage the team's deals rarely skip.
    skips = [(a, b) for (a, b) in order.moves if order.skipped(a, b)]
    moves: dict[int, list[tuple]] = defaultdict(list)
    for row in (
        DealStageChange.objects.filter(organisation=org, deal_id__in=ids, changed_on__lte=last)
        .filter(_any_move(skips))
        .order_by("deal_id", "changed_at", "pk")
        .values_list("deal_id", "pk", "from_stage", "to_stage", "changed_on")
    ):
        moves[row[0]].append(row[1:])
    close_changes: dict[int, list[tuple]] = defaultdict(list)
    if not current:
        for deal_id, at, old, new in (
            DealChange.objects.filter(
                organisation=org, deal_id__in=ids, field=ChangedField.CLOSE_DATE
            )
            .order_by("deal_id", "changed_at", "pk")
            .values_list("deal_id", "changed_at", "old_value", "new_value")
        ):
            close_changes[deal_id].append((at.date(), parse_date(old), parse_date(new)))
    won_cycles = _won_cycles(org, first, last)
    next_step_sources = set(_next_step_sources(org))
    owners = set(people) | {row[0] for row in won_cycles}
    team_of = team_of_each(org, last, owners)
    settings = thresholds_by_team(org, set(team_of.values()))
    return Facts(
        deals=deals,
        activity_days=activity_days,
        moves=moves,
        close_changes=close_changes,
        won_cycles=won_cycles,
        next_step_sources=next_step_sources,
        order=order,
        team_of=team_of,
        settings=settings,
        default=DiagnosticSettings(organisation=org),
    )


def _won_cycles(org: Organisation, first: dt.date, last: dt.date) -> list[tuple]:
    """(owner, close day, days, deals): the cycles of every won deal of the organisation
    closed in the year before some day of [first, last] (a team's median needs its members')."""
    won = (
        Deal.objects.filter(
            organisation=org,
            outcome=Outcome.WON,
            close_on__gt=first - dt.timedelta(days=CYCLE_WINDOW_DAYS),
            close_on__lte=last,
            created_on__isnull=False,
            owner__isnull=False,
        )
        .annotate(days=DaysBetween("created_on", "close_on"))
        .values_list("owner_id", "days")
    )
    if first == last:  # one day: how many deals of each owner took each cycle is enough
        return [
            (owner, last, days, n)
            for owner, days, n in won.annotate(n=Count("pk")).order_by().iterator()
        ]
    return [
        (owner, closed, days, 1)
        for owner, days, closed in won.values_list("owner_id", "days", "close_on").iterator()
    ]


def _next_step_sources(org: Organisation):
    """The sources (CRMs) with a next step on some open deal: only their deals are judged on it."""
    return (
        Deal.objects.filter(organisation=org, outcome=Outcome.OPEN)
        .exclude(next_step="")
        .values_list("source", flat=True)
        .distinct()
        .order_by()
    )


def _any_move(pairs: list[tuple[str, str]]) -> Q:
    """Moves from a to b for any of the pairs (none: a condition no move meets)."""
    if not pairs:
        return Q(pk__isnull=True)
    condition = Q()
    for a, b in pairs:
        condition |= Q(from_stage=a, to_stage=b)
    return condition


# The rules


def _median_cycles(
    won_cycles: list[tuple], team_of: dict[int, int], day: dt.date
) -> tuple[dict[int, Decimal], Decimal | None]:
    """Team id -> median won cycle in days as of `day`, and the organisation's."""
    since = day - dt.timedelta(days=CYCLE_WINDOW_DAYS)
    by_team: dict[int, list[int]] = defaultdict(list)
    everyone: list[int] = []
    for owner, closed, days, n in won_cycles:
        if since < closed <= day and days is not None:
            everyone.extend([days] * n)
            team = team_of.get(owner)
            if team is not None:
                by_team[team].extend([days] * n)
    medians = {
        team: Decimal(str(statistics.median(days)))
        for team, days in by_team.items()
        if len(days) >= MIN_CYCLE_DEALS
    }
    overall = (
        Decimal(str(statistics.median(everyone))) if len(everyone) >= MIN_CYCLE_DEALS else None
    )
    return medians, overall


def _close_on(deal: OpenDeal, facts: Facts, day: dt.date, current: bool) -> dt.date | None:
    """The deal's expected close date on `day`: the last change by then, else the value
    before the first change, else today's (None where the history cannot say)."""
    if current:
        return deal.close_on
    close_on = None
    changes = facts.close_changes.get(deal.pk, [])
    before = [c for c in changes if c[0] <= day]
    if before:
        close_on = before[-1][2]
    elif changes:
        close_on = changes[0][1]
    elif deal.outcome == Outcome.OPEN:
        close_on = deal.close_on
    return close_on


def _is_open(deal: OpenDeal, day: dt.date) -> bool:
    if deal.created_on is None or deal.created_on > day:
        return False
    return deal.outcome == Outcome.OPEN or (deal.close_on is not None and deal.close_on > day)


def _evaluate(
    facts: Facts, people: list[int], day: dt.date, *, current: bool
) -> dict[int, RepHygiene]:
    found = {pk: RepHygiene(pk, day) for pk in people}
    medians, overall = _median_cycles(facts.won_cycles, facts.team_of, day)
    for deal in facts.deals:
        if not current and not _is_open(deal, day):
            continue
        rep = found.get(deal.owner_id)
        if rep is None:
            continue
        rep.open_deals += 1
        team = facts.team_of.get(deal.owner_id)
        limits = facts.settings.get(team) or facts.default
        rep.issues.extend(
            _deal_issues(deal, facts, day, current, limits, medians.get(team, overall))
        )
    return found


def _deal_issues(deal, facts, day, current, limits, cycle) -> list[DealIssue]:
    issues = []

    def add(rule, record_id=None, **params):
        issues.append(DealIssue(deal.pk, deal.name, deal.owner_id, rule, params, record_id))

    close_on = _close_on(deal, facts, day, current)
    seen = [d for d in facts.activity_days.get(deal.pk, []) if d <= day]
    last = max([*seen[-1:], *([deal.created_on] if deal.created_on else [])], default=None)
    if last is not None and last <= stale_since(day, limits):
        add(Rule.STALE, days=(day - last).days, since=last, limit=limits.stale_days)
    if close_on is not None and close_on < day:
        add(Rule.CLOSE_PAST, date=close_on, days=(day - close_on).days)
    if current and deal.source in facts.next_step_sources:
        if not deal.next_step.strip(WHITESPACE):
            add(Rule.NO_NEXT_STEP)
        elif deal.next_step_on is not None and deal.next_step_on < day:
            add(
                Rule.NEXT_STEP_PAST,
                step=deal.next_step,
                date=deal.next_step_on,
                days=(day - deal.next_step_on).days,
            )
    for pk, from_stage, to_stage, on in facts.moves.get(deal.pk, []):
        if on > day:
            break
        skipped = facts.order.skipped(from_stage, to_stage)
        if skipped:
            add(
                Rule.STAGE_SKIPPED,
                record_id=pk,
                **{"from": from_stage, "to": to_stage, "date": on, "skipped": ", ".join(skipped)},
            )
    old = too_old_since(day, limits, cycle)
    if old is not None and deal.created_on is not None and deal.created_on <= old:
        age = (day - deal.created_on).days
        add(Rule.OPEN_TOO_LONG, days=age, factor=limits.long_open_factor, cycle=cycle)
    return issues
