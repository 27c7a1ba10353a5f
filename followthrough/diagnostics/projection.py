"""Right time: the pipeline and wins the team's own lags and conversion rates project, the
gap a month's prospecting shortfall will cause, and the method's backtest.

The method (docs/diagnostics.md, "Right time"), per team, from facts dated up to the
day of the projection only:
- prospecting P(m): a rep's cold calls + cold e-mails in month m (the metric engine);
- a new-business deal is "from prospecting" when its owner made a cold call or e-mail
  on its account in the TOUCH_DAYS before it was created (the touch that opened it);
  the kernel g (touch month -> creation month) is measured over the team's cohorts;
  deals with no such touch are inbound: each rep's monthly average;
- the kernel h (creation month -> win month) of the team's new-business deals;
- other wins (renewals, expansions): each rep's monthly average of deals_won minus
  new_business_won;
- projected deals C(m) = inbound + (g * P)(m), wins W(m) = other + (h * C)(m); future
  prospecting is the rep's pace of the last month used ("if nothing changes").
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followthrough.diagnostics import history
from followthrough.diagnostics.findings import Evidence, Finding, Said, Status
from followthrough.diagnostics.lags import Kernel, combine, convolve, fit_kernel, mean
from followthrough.diagnostics.thresholds import thresholds_by_team
from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics.labels import format_number
from followthrough.metrics.totals import team_members
from followthrough.people.models import Organisation, Person, Role, Team

HORIZON = 4  # coming months projected
FIT_MONTHS = 6  # cohorts (months) each lag is measured over
HISTORY = 15  # months loaded (the current one included)
TOUCH_DAYS = 60  # a cold touch this recent before a deal's creation opened it
DEAL_LAGS = 3  # touch -> deal: lags 0..2 months
WIN_LAGS = 7  # deal -> win: lags 0..6 months
MIN_MONTHS = 6  # months of a team's data before it is projected (and backtested)
BACKTEST_AHEAD = 3  # the backtest projects T+1..T+3
PAST_SHOWN = 6  # months of actual wins shown before the projection
MIN_BUSINESS_DAYS = 3  # fewer elapsed in the current month: its pace is last month's
SAMPLE_DEALS = 20_000  # more new-business deals: their touches are measured on a sample


def _month_case(name: str, first: int, last: int) -> Case:
    """The month index of a date column, first..last, by comparisons with the months' ends."""
    return Case(
        *(When(**{f"{name}__lte": month_period(m).end}, then=Value(m)) for m in range(first, last)),
        default=Value(last),
        output_field=IntegerField(),
    )


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_period(index: int) -> Period:
    return period_of(PeriodKind.MONTH, dt.date(index // 12, index % 12 + 1, 1))


class MonthName:
    """A month named in the reader's language when the sentence is shown."""

    def __init__(self, index: int) -> None:
        self.index = index

    def __str__(self) -> str:
        return formats.date_format(month_period(self.index).start, "YEAR_MONTH_FORMAT")


class Number:
    """A number in the reader's format when the sentence is shown."""

    def __init__(self, value: float, places: int = 0) -> None:
        self.value, self.places = value, places

    def __str__(self) -> str:
        return format_number(Decimal(str(round(self.value, self.places))), self.places)


def _business_days(start: dt.date, end: dt.date) -> int:
    days = (end - start).days + 1
    return sum(1 for i in range(days) if (start + dt.timedelta(days=i)).weekday() < 5)


# The facts: loaded once for many people


@dataclass
class Tally:
    """One person's new-business deals counted by month (weighted when sampled)."""

    created: dict[int, float] = field(default_factory=dict)  # creation month -> deals
    wins: dict[tuple[int, int], float] = field(default_factory=dict)  # (created, won) -> deals
    touches: dict[tuple[int, int], float] = field(default_factory=dict)  # (touch, created)
    inbound: dict[int, float] = field(default_factory=dict)  # creation month -> no touch

    def add(self, made: int, won: int | None, touched: int | None, n: float = 1.0) -> None:
        self.created[made] = self.created.get(made, 0.0) + n
        if won is not None:
            self.wins[(made, won)] = self.wins.get((made, won), 0.0) + n
        self.add_touch(made, touched, n)

    def add_touch(self, made: int, touched: int | None, n: float = 1.0) -> None:
        if touched is not None:
            self.touches[(touched, made)] = self.touches.get((touched, made), 0.0) + n
        else:
            self.inbound[made] = self.inbound.get(made, 0.0) + n

    def until(self, last: int) -> Tally:
        return Tally(
            {m: v for m, v in self.created.items() if m <= last},
            {k: v for k, v in self.wins.items() if k[0] <= last and k[1] <= last},
            {k: v for k, v in self.touches.items() if k[1] <= last},
            {m: v for m, v in self.inbound.items() if m <= last},
        )


@dataclass
class Facts:
    """Everything the projection reads, for many people, by month index."""

    as_of: dt.date
    first: int  # first month loaded
    base: int  # the month of as_of
    complete: bool  # is the base month over?
    scale: float  # the base month's figures × this = its full-month pace
    elapsed: int  # business days of the base month elapsed
    prospecting: dict[int, dict[int, float]]
    deals_won: dict[int, dict[int, float]]
    nb_won: dict[int, dict[int, float]]
    # owner, created, won, touched: every deal, or (a big organisation) the sample whose
    # touches were measured
    deals: list[tuple[int, int, int | None, int | None]]
    tallies: dict[int, Tally] | None = None  # person -> counts; None: counted from `deals`
    _by_owner: dict[int, list[int]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.tallies is None:
            self.tallies = {}
            for owner, made, won, touched in self.deals:
                self.tallies.setdefault(owner, Tally()).add(made, won, touched)

    @property
    def last_complete(self) -> int:
        return self.base if self.complete else self.base - 1

    def tally(self, person_id: int) -> Tally:
        return self.tallies.get(person_id) or Tally()

    def created_by(self, person_id: int) -> dict[int, float]:
        """Month -> the person's new-business deals created."""
        return self.tally(person_id).created

    def only(self, person_ids: Collection[int]) -> Facts:
        """These people's facts alone, picked by person (the backtest asks for every team's:
        going through everyone's each time cost more than the backtest's arithmetic)."""
        ids = sorted(set(person_ids))
        rows = self._rows_by_owner()
        return Facts(
            self.as_of,
            self.first,
            self.base,
            self.complete,
            self.scale,
            self.elapsed,
            {p: self.prospecting[p] for p in ids if p in self.prospecting},
            {p: self.deals_won[p] for p in ids if p in self.deals_won},
            {p: self.nb_won[p] for p in ids if p in self.nb_won},
            [self.deals[i] for i in sorted(i for p in ids for i in rows.get(p, ()))],
            {p: self.tallies[p] for p in ids if p in self.tallies},
        )

    def _rows_by_owner(self) -> dict[int, list[int]]:
        """Owner -> the positions of their rows in `deals` (made once)."""
        if self._by_owner is None:
            self._by_owner = defaultdict(list)
            for index, row in enumerate(self.deals):
                self._by_owner[row[0]].append(index)
        return self._by_owner


def gather(org: Organisation, person_ids: Collection[int], as_of: dt.date) -> Facts:
    """The people's monthly figures and new-business deals up to `as_of` (a few queries)."""
    from followthrough.crm.models import Activity, Deal, DealType, Outcome

    ids = sorted(set(person_ids))
    base = month_index(as_of)
    first = base - HISTORY + 1
    months = [month_period(i) for i in range(first, base + 1)]
    months[-1] = Period(months[-1].start, min(months[-1].end, as_of))
    keys = ("cold_calls", "cold_emails", "deals_won", "new_business_won")
    figures = history.monthly(org, ids, months, keys)
    complete = as_of >= month_period(base).end
    scale, elapsed = 1.0, 0
    if not complete:
        month = month_period(base)
        elapsed = _business_days(month.start, as_of)
        scale = _business_days(month.start, month.end) / elapsed if elapsed else 0.0

    def by_month(key: str) -> dict[int, dict[int, float]]:
        return {
            pid: {first + i: float(v) for i, v in enumerate(figures.series(pid, key))}
            for pid in ids
        }

    prospecting = by_month("cold_calls")
    for pid, emails in by_month("cold_emails").items():
        for m, v in emails.items():
            prospecting[pid][m] += v

    # Every new-business deal counted by owner, creation month and win month: one GROUP BY,
    # the months told apart by comparing with bounds computed here (no per-row function).
    deals = Deal.objects.filter(
        organisation=org,
        owner_id__in=ids,
        deal_type=DealType.NEW_BUSINESS,
        created_on__gte=month_period(first).start,
        created_on__lte=as_of,
    )
    made_month = _month_case("created_on", first, base)
    won = Q(outcome=Outcome.WON)
    won_month = Case(
        # Won before any deal it could belong to: never a lag, any earlier month will do.
        When(won & Q(close_on__lt=month_period(first).start), then=Value(first - 1)),
        *(
            When(won & Q(close_on__lte=min(month_period(m).end, as_of)), then=Value(m))
            for m in range(first, base + 1)
        ),
        default=Value(None),  # not won, or won after as_of
        output_field=IntegerField(),
    )
    counted = (
        deals.annotate(made=made_month, won=won_month)
        .order_by()
        .values("owner_id", "made", "won")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "made", "won", "n")
    )
    tallies: dict[int, Tally] = {}
    owned: dict[int, int] = defaultdict(int)
    for owner, made, won_in, n in counted:
        mine = tallies.setdefault(owner, Tally())
        mine.created[made] = mine.created.get(made, 0.0) + n
        if won_in is not None:
            mine.wins[(made, won_in)] = mine.wins.get((made, won_in), 0.0) + n
        owned[owner] += n

    # The touch that opened a deal: its owner's latest cold activity on its account up to
    # the day it was created, kept when within TOUCH_DAYS. Set-based: the cold activities
    # on the deals' accounts in one query, matched here (a correlated subquery per deal
    # took minutes on SQLite). Every deal when there are at most SAMPLE_DEALS; else the
    # deals of an evenly spread sample of accounts (every k-th account id), each sampled
    # deal standing for its owner's deals.
    step = max(1, -(-sum(owned.values()) // SAMPLE_DEALS))
    sampled = deals
    if step > 1:
        sampled = deals.alias(slot=F("account_id") % step).filter(slot=0)
    rows = list(
        sampled.order_by().values_list(
            "owner_id", "account_id", "created_on", "outcome", "close_on"
        )
    )
    cold: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for owner, account, occurred in Activity.objects.filter(
        is_cold=True, account_id__in=sampled.order_by().values("account_id")
    ).values_list("owner_id", "account_id", "occurred_on"):
        cold[(owner, account)].append(occurred)
    for dates in cold.values():
        dates.sort()
    listed = []
    for owner, account, created, outcome, close_on in rows:
        won = (
            month_index(close_on)
            if outcome == Outcome.WON and close_on and close_on <= as_of
            else None
        )
        touched = None
        dates = cold.get((owner, account))
        if dates:
            at = bisect_right(dates, created)
            if at and (created - dates[at - 1]).days <= TOUCH_DAYS:
                touched = month_index(dates[at - 1])
        listed.append((owner, month_index(created), won, touched))
    if step == 1:
        tallies = None  # every deal listed: counted from the list, exactly
    else:
        drawn: dict[int, int] = defaultdict(int)
        for owner, *_rest in listed:
            drawn[owner] += 1
        for owner, made, _won, touched in listed:
            tallies[owner].add_touch(made, touched, owned[owner] / drawn[owner])
    return Facts(
        as_of,
        first,
        base,
        complete,
        scale,
        elapsed,
        prospecting,
        by_month("deals_won"),
        by_month("new_business_won"),
        listed,
        tallies,
    )


# The model: fitted per team on data up to a month


@dataclass
class Model:
    last: int  # the last complete month the fit saw
    to_deal: Kernel  # prospecting -> new deals (per cold activity)
    to_win: Kernel  # new deal -> won deal
    inbound: dict[int, float]  # person -> new deals a month without a cold touch
    other: dict[int, float]  # person -> won deals a month that are not new business
    start: int  # the team's first month with prospecting

    @property
    def ready(self) -> bool:
        return self.last - self.start + 1 >= MIN_MONTHS and self.to_deal.rate > 0

    @property
    def to_win_from_prospecting(self) -> Kernel:
        return combine(self.to_deal, self.to_win)


@dataclass
class TeamFacts:
    """A team's facts summed once, so fitting at many months (the backtest) is cheap."""

    members: list[int]
    prospecting: dict[int, float]  # month -> the members' cold activities
    created: dict[int, float]  # month -> new-business deals created
    touches: dict[tuple[int, int], float]  # (touch month, creation month) -> deals
    wins: dict[tuple[int, int], float]  # (creation month, win month) -> deals
    inbound: dict[int, dict[int, float]]  # person -> month -> deals with no cold touch


def team_facts(facts: Facts, members: Collection[int]) -> TeamFacts:
    members = sorted(set(members))
    prospecting: dict[int, float] = defaultdict(float)
    created: dict[int, float] = defaultdict(float)
    touches: dict[tuple[int, int], float] = defaultdict(float)
    wins: dict[tuple[int, int], float] = defaultdict(float)
    inbound: dict[int, dict[int, float]] = {}
    for pid in members:
        for m, v in facts.prospecting.get(pid, {}).items():
            prospecting[m] += v
        mine = facts.tally(pid)
        for m, v in mine.created.items():
            created[m] += v
        for key, v in mine.wins.items():
            wins[key] += v
        for key, v in mine.touches.items():
            touches[key] += v
        inbound[pid] = mine.inbound
    return TeamFacts(members, prospecting, created, touches, wins, inbound)


def fit(facts: Facts, members: Collection[int], last: int, team: TeamFacts | None = None) -> Model:
    """Measure the team's kernels and each member's baselines from months <= `last` only
    (a deal created later, a win closed later, prospecting later: none of them is read)."""
    team = team or team_facts(facts, members)
    sizes = {m: v for m, v in team.prospecting.items() if m <= last}
    active = [m for m, v in sizes.items() if v > 0]
    start = min(active) if active else last + 1
    sizes = {m: v for m, v in sizes.items() if m >= start}
    to_deal = fit_kernel(sizes, team.touches, last=last, lags=DEAL_LAGS, cohorts=FIT_MONTHS)
    cohorts = {m: v for m, v in team.created.items() if m <= last}
    to_win = fit_kernel(cohorts, team.wins, last=last, lags=WIN_LAGS, cohorts=FIT_MONTHS)
    window = range(max(start, last - FIT_MONTHS + 1), last + 1)
    other = {}
    for pid in team.members:
        if pid in facts.deals_won:
            won, nb = facts.deals_won[pid], facts.nb_won[pid]
            other[pid] = max(0.0, mean([won.get(m, 0) - nb.get(m, 0) for m in window]))
    return Model(
        last,
        to_deal,
        to_win,
        {pid: mean([team.inbound[pid].get(m, 0) for m in window]) for pid in team.members},
        other,
        start,
    )


@dataclass
class Path:
    """One person's (or a team's) figures by month index: known, then projected."""

    prospecting: dict[int, float]
    created: dict[int, float]
    won: dict[int, float]  # projected wins, months after the base


def project_person(facts: Facts, model: Model, pid: int, base: int, complete: bool) -> Path:
    """The person's prospecting, new deals and projected wins for base+1..base+HORIZON."""
    p = {m: v for m, v in facts.prospecting.get(pid, {}).items() if m <= base}
    created: dict[int, float] = defaultdict(float)
    for made, count in facts.created_by(pid).items():
        if made <= base:
            created[made] = count
    if not complete:
        if facts.elapsed >= MIN_BUSINESS_DAYS:
            p[base] = p.get(base, 0.0) * facts.scale
            created[base] = created.get(base, 0.0) * facts.scale
        else:
            p[base] = p.get(base - 1, 0.0)
            created[base] = created.get(base - 1, 0.0)
    pace = p.get(base, 0.0)
    won = {}
    for m in range(base + 1, base + HORIZON + 1):
        p[m] = pace
        created[m] = model.inbound.get(pid, 0.0) + convolve(p, model.to_deal, m)
    for m in range(base + 1, base + HORIZON + 1):
        won[m] = model.other.get(pid, 0.0) + convolve(created, model.to_win, m)
    return Path(p, dict(created), won)


# What a rep needs, the gap, and the finding


@dataclass
class RepProjection:
    person: Person
    team_id: int
    months: list[int]  # the coming months
    projected: list[float]  # won deals per coming month
    target: list[float | None]
    target_source: str  # "goal", "carried" (last month's goal), "own" (own average), ""
    need: float | None  # prospecting a month the target needs
    pace: float  # prospecting a month now
    prospecting: dict[int, float]  # recent months
    shortfall: tuple[int, float, float, int] | None  # worst month, % below, fewer wins, from
    gap: float | None
    status: Status
    past_won: list[float] = field(default_factory=list)
    past_target: list[float | None] = field(default_factory=list)
    finding: Finding = field(repr=False, default=None)

    @property
    def projected_total(self) -> float:
        return sum(self.projected)

    @property
    def target_total(self) -> float | None:
        known = [t for t in self.target if t is not None]
        return sum(known) if known else None


def _targets(book, person: Person, months: Sequence[int], own: float) -> tuple[list, str]:
    """The target of each coming month on won deals, and where it comes from."""
    found = [book.person_target(person, "deals_won", month_period(m)) for m in months]
    if all(t is not None for t in found):
        return [float(t) for t in found], "goal"
    # Months without a goal yet: the latest monthly goal of the last four months.
    for back in range(4):
        latest = book.person_target(person, "deals_won", month_period(months[0] - 1 - back))
        if latest is not None:
            return [float(t if t is not None else latest) for t in found], "carried"
    if any(t is not None for t in found):
        return [None if t is None else float(t) for t in found], "goal"
    if own > 0:
        return [own] * len(months), "own"
    return [None] * len(months), ""


def assess_rep(
    facts: Facts,
    model: Model,
    person: Person,
    team_id: int,
    book,  # goals.targets.TargetBook
    settings,  # DiagnosticSettings in force for the team
    base: int,
    complete: bool,
) -> RepProjection:
    """One rep's projection, target, need, shortfall, gap, status and finding."""
    path = project_person(facts, model, person.pk, base, complete)
    months = list(range(base + 1, base + HORIZON + 1))
    projected = [path.won[m] for m in months]
    own = mean(
        [
            facts.deals_won.get(person.pk, {}).get(m, 0)
            for m in range(model.last - 5, model.last + 1)
        ]
    )
    target, source = _targets(book, person, months, own)
    need = None
    c1, w = model.to_deal.rate, model.to_win.rate
    known = [t for t in target if t is not None]
    if known and c1 > 0 and w > 0:
        deals_needed = max(0.0, (mean(known) - model.other.get(person.pk, 0.0)) / w)
        need = max(0.0, (deals_needed - model.inbound.get(person.pk, 0.0)) / c1)
    shortfall = None
    q = model.to_win_from_prospecting
    if need:
        # The last three months' prospecting below need, and the wins it will cost:
        # each month's missing prospecting times the prospecting -> win rate, landing
        # mostly q.peak months later.
        worst, fewer = None, 0.0
        for m in range(base - 2, base + 1):
            missing = need - path.prospecting.get(m, 0.0)
            below = missing / need * 100
            if below >= 100 - float(settings.watch_below):
                fewer += missing * q.rate
                if worst is None or below > worst[1]:
                    worst = (m, below)
        if worst:
            shortfall = (worst[0], worst[1], fewer, worst[0] + q.peak)
    gap, status = None, Status.UNKNOWN
    total = sum(known) if known else None
    if model.ready and total:
        gap = max(0.0, total - sum(projected))
        share = gap / total * 100
        status = (
            Status.HELP
            if share >= float(settings.gap_help)
            else Status.WATCH
            if share >= float(settings.gap_watch)
            else Status.OK
        )
    rep = RepProjection(
        person,
        team_id,
        months,
        projected,
        target,
        source,
        need,
        path.prospecting.get(base, 0.0),
        {m: path.prospecting.get(m, 0.0) for m in range(base - 5, base + 1)},
        shortfall,
        gap,
        status,
        [facts.deals_won.get(person.pk, {}).get(m, 0.0) for m in range(base - PAST_SHOWN, base)],
        [
            _float(book.person_target(person, "deals_won", month_period(m)))
            for m in range(base - PAST_SHOWN, base)
        ],
    )
    rep.finding = _finding(rep, model)
    return rep


@functools.cache
def _projection_url() -> str:
    return reverse("diagnostics_projection")


def _finding(rep: RepProjection, model: Model) -> Finding:
    url = _projection_url() + f"?team={rep.team_id}"
    if rep.status == Status.UNKNOWN:
        reason = (
            Said(
                gettext_noop(
                    "Too little history to project yet (six months of prospecting needed)."
                )
            )
            if not model.ready
            else Said(gettext_noop("No target on won deals to project against."))
        )
        return Finding("time", Status.UNKNOWN, [reason], [], None)
    reasons = []
    if rep.shortfall:
        month, below, fewer, later = rep.shortfall
        reasons.append(
            Said(
                gettext_noop(
                    "Prospecting in %(month)s was %(percent)s %% below need: expect about "
                    "%(count)s fewer won deals, from %(later)s on."
                ),
                {
                    "month": MonthName(month),
                    "percent": Number(below),
                    "count": Number(fewer, 1),
                    "later": MonthName(later),
                },
            )
        )
    reasons.append(
        Said(
            gettext_noop(
                "Projected %(projected)s won deals in the next %(months)s months against a "
                "target of %(target)s: %(gap)s short."
            ),
            {
                "projected": Number(rep.projected_total, 1),
                "months": HORIZON,
                "target": Number(rep.target_total or 0, 1),
                "gap": Number(rep.gap or 0, 1),
            },
        )
    )
    if rep.target_source == "own":
        reasons.append(
            Said(gettext_noop("No target on won deals: compared with their own last six months."))
        )
    evidence = [
        Evidence(_("Projected won deals, next 4 months"), _dec(rep.projected_total), "count", url),
        Evidence(_("Target, next 4 months"), _dec(rep.target_total), "count", url),
        Evidence(_("Prospecting this month (pace)"), _dec(rep.pace), "count", url),
        Evidence(_("Prospecting needed a month"), _dec(rep.need), "count", url),
    ]
    return Finding("time", rep.status, reasons, evidence, _dec(rep.gap))


def _float(value) -> float | None:
    return None if value is None else float(value)


def _dec(value: float | None, places: int = 1) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, places)))


# The backtest


@dataclass
class BacktestRow:
    month: int  # T: the last month the fit saw
    ahead: int  # k: projecting T + k
    projected: float
    actual: float
    baseline: float  # T + k - 3's actual wins


@dataclass
class Backtest:
    rows: list[BacktestRow]

    @property
    def mae(self) -> float | None:
        return mean([abs(r.projected - r.actual) for r in self.rows]) if self.rows else None

    @property
    def bias(self) -> float | None:
        return mean([r.projected - r.actual for r in self.rows]) if self.rows else None

    @property
    def baseline_mae(self) -> float | None:
        return mean([abs(r.baseline - r.actual) for r in self.rows]) if self.rows else None

    @property
    def mean_actual(self) -> float | None:
        return mean([r.actual for r in self.rows]) if self.rows else None

    @property
    def beats_baseline(self) -> bool | None:
        if not self.rows:
            return None
        return self.mae < self.baseline_mae


def backtest(
    facts: Facts, members: Collection[int], months: Collection[int] | None = None
) -> Backtest:
    """For each past month T with enough history: fit on data <= T, project T+1..T+3 wins
    of the team, compare with what happened and with last quarter repeated."""
    members = sorted(members)
    facts = facts.only(members)
    team = team_facts(facts, members)
    last = facts.last_complete
    start = fit(facts, members, last, team).start
    if months is None:
        months = range(start + MIN_MONTHS - 1, last)
    rows = []
    for t in months:
        model = fit(facts, members, t, team)
        if not model.ready:
            continue
        # project_person reads prospecting and deals created up to t only.
        paths = [project_person(facts, model, pid, t, True) for pid in members]
        for k in range(1, BACKTEST_AHEAD + 1):
            if t + k > last:
                break
            actual = sum(facts.deals_won.get(pid, {}).get(t + k, 0) for pid in members)
            baseline = sum(facts.deals_won.get(pid, {}).get(t + k - 3, 0) for pid in members)
            projected = 0.0
            for path in paths:
                if t + k in path.won:
                    projected += path.won[t + k]
            rows.append(BacktestRow(t, k, projected, actual, baseline))
    return Backtest(rows)


def known_at(facts: Facts | None, as_of: dt.date, person_ids: Collection[int]) -> Facts | None:
    """Facts gathered once (the nightly run) as they were known on `as_of`: the same day,
    or the end of an earlier month; None when they cannot tell (gather afresh)."""
    if facts is None or not set(person_ids) <= facts.prospecting.keys():
        return None
    if as_of == facts.as_of:
        return facts
    month = month_index(as_of)
    if month < facts.base and as_of == month_period(month).end:
        return _until(facts, month)
    return None


def _until(facts: Facts, last: int) -> Facts:
    """The facts as they were known at the end of month `last`."""
    end = month_period(last).end
    deals = [
        (o, c, w if w is not None and w <= last else None, t)
        for o, c, w, t in facts.deals
        if c <= last
    ]
    return Facts(
        end,
        facts.first,
        last,
        True,
        1.0,
        0,
        {p: {m: v for m, v in s.items() if m <= last} for p, s in facts.prospecting.items()},
        {p: {m: v for m, v in s.items() if m <= last} for p, s in facts.deals_won.items()},
        {p: {m: v for m, v in s.items() if m <= last} for p, s in facts.nb_won.items()},
        deals,
        {p: t.until(last) for p, t in facts.tallies.items()},
    )


# Teams


@dataclass
class TeamProjection:
    team: Team
    model: Model
    months: list[int]  # the past months shown, then the coming ones
    actual: list[float | None]  # won deals, past months
    projected: list[float | None]  # won deals, coming months
    target: list[float | None]
    reps: list[RepProjection]
    backtest: Backtest
    personal: bool = False  # a rep's own figures, not the team's

    @property
    def coming(self) -> list[int]:
        return self.months[-HORIZON:]

    @property
    def gap(self) -> float | None:
        gaps = [r.gap for r in self.reps if r.gap is not None]
        return sum(gaps) if gaps else None


def _reps(org: Organisation, ids: Collection[int]) -> dict[int, Person]:
    return {
        p.pk: p
        for p in Person.objects.filter(
            organisation=org, pk__in=list(ids), role=Role.REP, is_active=True
        ).order_by("name", "pk")
    }


def project_teams(
    org: Organisation,
    teams: Sequence[Team],
    today: dt.date,
    *,
    with_backtest: bool = True,
    facts: Facts | None = None,
) -> dict[int, TeamProjection]:
    """Team id -> its projection, per-rep gaps and backtest (a fixed number of queries;
    fewer when given the facts already gathered as of today)."""
    from followthrough.goals.targets import load_targets

    team_ids = [t.pk for t in teams]
    members = team_members(org, today, team_ids)
    people = _reps(org, set().union(*members.values()) if members else set())
    facts = known_at(facts, today, people) or gather(org, people, today)
    base = facts.base
    book = load_targets(
        org,
        ["deals_won"],
        month_period(base - 4).start,
        month_period(base + HORIZON).end,
        person_ids=list(people),
    )
    settings = thresholds_by_team(org, team_ids)
    found = {}
    # The reps in the order of `people` (by name), picked team by team.
    position = {pid: index for index, pid in enumerate(people)}
    for team in teams:
        mine = (pid for pid in members.get(team.pk, ()) if pid in position)
        ids = sorted(mine, key=position.__getitem__)
        model = fit(facts, ids, facts.last_complete)
        reps = [
            assess_rep(
                facts, model, people[pid], team.pk, book, settings[team.pk], base, facts.complete
            )
            for pid in ids
        ]
        past = list(range(base - PAST_SHOWN, base))
        coming = list(range(base + 1, base + HORIZON + 1))
        actual = [sum(r.past_won[i] for r in reps) for i in range(PAST_SHOWN)]
        projected = [sum(r.projected[i] for r in reps) for i in range(HORIZON)]
        targets = []
        for i in range(PAST_SHOWN):
            parts = [r.past_target[i] for r in reps if r.past_target[i] is not None]
            targets.append(sum(parts) if parts else None)
        for i in range(HORIZON):
            parts = [r.target[i] for r in reps if r.target[i] is not None]
            targets.append(sum(parts) if parts else None)
        found[team.pk] = TeamProjection(
            team,
            model,
            past + coming,
            actual + [None] * HORIZON,
            [None] * PAST_SHOWN + projected,
            targets,
            sorted(reps, key=lambda r: (-(r.gap or 0), r.person.name)),
            backtest(facts, ids) if with_backtest else Backtest([]),
        )
    return found


def right_time(
    org: Organisation,
    people: Sequence[Person],
    month: Period,
    today: dt.date,
    facts: Facts | None = None,
) -> dict[int, Finding]:
    """Person id -> the right-time finding for `month` (key "time"; `gap`: the projected
    shortfall in won deals over the coming months, for sorting the team view).

    Projected as of the end of `month` (or today, when the month is not over): a past
    month is judged on what was known then.
    """
    from followthrough.diagnostics.scope import team_of_each
    from followthrough.goals.targets import load_targets

    as_of = min(today, month.end)
    found = {p.pk: Finding("time", Status.UNKNOWN) for p in people}
    if not people:
        return found
    team_of = team_of_each(org, as_of, [p.pk for p in people])
    team_ids = sorted(set(team_of.values()))
    members = team_members(org, as_of, team_ids)
    reps = _reps(org, set().union(*members.values()) if members else set())
    for p in people:
        reps.setdefault(p.pk, p)
    facts = known_at(facts, as_of, reps) or gather(org, reps, as_of)
    book = load_targets(
        org,
        ["deals_won"],
        month_period(facts.base - 4).start,
        month_period(facts.base + HORIZON).end,
        person_ids=[p.pk for p in people],
    )
    settings = thresholds_by_team(org, team_ids)
    models = {
        tid: fit(
            facts, [pid for pid in reps if pid in members.get(tid, set())], facts.last_complete
        )
        for tid in team_ids
    }
    for person in people:
        tid = team_of.get(person.pk)
        if tid is None:
            found[person.pk] = Finding(
                "time",
                Status.UNKNOWN,
                [Said(gettext_noop("Not in a team: no team lags to project with."))],
            )
            continue
        rep = assess_rep(
            facts, models[tid], person, tid, book, settings[tid], facts.base, facts.complete
        )
        found[person.pk] = rep.finding
    return found


# What a viewer may see


def teams_for(viewer: Person, today: dt.date) -> list[Team]:
    """The teams whose projection the viewer may ask for, by name (a rep: their own team)."""
    from followthrough.diagnostics.scope import team_of_each
    from followthrough.people import access

    if viewer.role == Role.REP:
        own = team_of_each(viewer.organisation, today, [viewer.pk]).get(viewer.pk)
        return list(Team.objects.filter(pk=own)) if own else []
    return list(access.visible_teams(viewer).order_by("name", "pk"))


def default_team(viewer: Person, teams: Sequence[Team], today: dt.date) -> Team | None:
    """The viewer's own team when they may see it, else the first they may see."""
    from followthrough.diagnostics.scope import team_of_each

    own = team_of_each(viewer.organisation, today, [viewer.pk]).get(viewer.pk)
    for team in teams:
        if team.pk == own:
            return team
    return teams[0] if teams else None


def for_viewer(viewer: Person, teams: Sequence[Team], today: dt.date) -> dict[int, TeamProjection]:
    """The teams' projections as the viewer may see them: a rep sees only their own figures
    (and the method's track record); others the reps they may see."""
    from followthrough.people import access

    found = project_teams(viewer.organisation, teams, today)
    visible = access.visible_person_ids(viewer)
    for tp in found.values():
        if viewer.role == Role.REP:
            tp.reps = [r for r in tp.reps if r.person.pk == viewer.pk]
            if tp.reps:
                mine = tp.reps[0]
                tp.actual = [*mine.past_won, *([None] * HORIZON)]
                tp.projected = [*([None] * PAST_SHOWN), *mine.projected]
                tp.target = [*mine.past_target, *mine.target]
            tp.personal = True
        elif visible is not None:
            tp.reps = [r for r in tp.reps if r.person.pk in visible]
    return found
