"""The manager scorecard (P6): is the manager following through on coaching?

Seven figures per manager and period, each defined exactly in docs/metrics.md
("Manager scorecard") and each with the records behind it (`figure_records`):
1:1s held versus scheduled, deal reviews within the team's promised window, the
manager's own commitments kept on time, their reps' self-reports reviewed, coaching
time per rep per month, "stepped in" count, and the team's attainment (the same
numbers as the team dashboard).

`manager_scorecards` is set-based: a constant number of queries whatever the number
of managers, reps, meetings and deals (the tests pin it). A manager's reps in a period
are the people whose reporting line names them as manager on at least one day of the
period up to today.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import BooleanField, Count, F, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from followthrough.coaching.models import (
    CoachingSettings,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    SelfReport,
    SteppedIn,
)
from followthrough.crm.models import Deal, Outcome
from followthrough.goals.attainment import attainment
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import Period, months_in
from followthrough.metrics import totals
from followthrough.metrics.catalog import get_metrics
from followthrough.people.models import Organisation, Person, ReportingLine, Team

ONE_ON_ONES = "one_on_ones"
DEAL_REVIEWS = "deal_reviews"
COMMITMENTS = "commitments"
SELF_REPORTS = "self_reports"
COACHING_TIME = "coaching_time"
STEPPED_IN = "stepped_in"
ATTAINMENT = "attainment"
FIGURES = (
    ONE_ON_ONES,
    DEAL_REVIEWS,
    COMMITMENTS,
    SELF_REPORTS,
    COACHING_TIME,
    STEPPED_IN,
    ATTAINMENT,
)

# Research on sales coaching points to 3-5 hours per rep per month: below that the
# coaching is too thin to change behaviour.
GUIDANCE_HOURS = (Decimal(3), Decimal(5))
BELOW, WITHIN, ABOVE = "below", "within", "above"
# The team's attainment is read on the first of these metrics that has a target.
ATTAINMENT_METRICS = ("revenue_won", "deals_won")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Figure:
    """One figure of a manager scorecard: its value and what it was divided from."""

    key: str
    value: Decimal | None
    numerator: Decimal = ZERO
    denominator: Decimal | None = None
    # Coaching time: below, within or above the guidance; attainment: the metric's key.
    note: str = ""

    @property
    def is_share(self) -> bool:
        return self.key in (ONE_ON_ONES, DEAL_REVIEWS, COMMITMENTS, SELF_REPORTS, ATTAINMENT)


@dataclass(frozen=True)
class ManagerScorecard:
    """A manager's follow-through over one period."""

    manager: Person
    period: Period
    team: Team | None
    rep_ids: frozenset[int]
    review_days: int | None
    figures: dict[str, Figure] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Figure:
        return self.figures[key]

    @property
    def ordered(self) -> list[Figure]:
        return [self.figures[key] for key in FIGURES]


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure: counted in the numerator, or only in the denominator."""

    record: object
    counted: bool
    day: dt.date | None = None
    note: str = ""
    minutes: int = 0


@dataclass(frozen=True)
class Records:
    """The records behind one figure of one manager's scorecard."""

    card: ManagerScorecard
    figure: Figure
    rows: list[RecordRow]


# ---------------------------------------------------------------- pure helpers


def share(numerator: Decimal | int, denominator: Decimal | int | None) -> Decimal | None:
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def window(period: Period, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days of `period` up to today (None when it has not begun)."""
    if today < period.start:
        return None
    return period.start, min(period.end, today)


def months_of(start: dt.date, end: dt.date) -> Decimal:
    """How many months start..end covers, each calendar month counted by its share of days."""
    months = ZERO
    for month in months_in(Period(start, end)):
        first = month.start.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        months += Decimal(month.days) / Decimal((following - first).days)
    return months


def guidance(hours: Decimal | None) -> str:
    if hours is None:
        return ""
    low, high = GUIDANCE_HOURS
    return BELOW if hours < low else ABOVE if hours > high else WITHIN


def review_late(
    created: dt.date,
    open_until: dt.date,
    reviews: Iterable[dt.date],
    start: dt.date,
    end: dt.date,
    days: int,
) -> bool:
    """Whether a deal open from `created` to `open_until` went more than `days` days without
    a held review (counted from its creation or its previous review) on a day of start..end."""
    last_day = min(open_until, end)
    last = created
    for day in sorted(reviews):
        if day > last_day:
            break
        if day <= last:
            continue
        if day - last > dt.timedelta(days=days):
            late_from = last + dt.timedelta(days=days + 1)
            if max(late_from, start) <= min(day, last_day):
                return True
        last = day
    late_from = last + dt.timedelta(days=days + 1)
    return max(late_from, start) <= last_day


# ---------------------------------------------------------------- the queries


def _midnight(org: Organisation, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), zoneinfo.ZoneInfo(org.timezone))


def local_day(org: Organisation, moment: dt.datetime) -> dt.date:
    return moment.astimezone(zoneinfo.ZoneInfo(org.timezone)).date()


def _reference_day(period: Period, today: dt.date) -> dt.date:
    return min(max(today, period.start), period.end)


@dataclass
class _Lines:
    """Who reported to which manager, on which days, and each manager's own team."""

    spans: dict[int, list[tuple[int, dt.date, dt.date]]]  # manager -> (rep, first, last)
    team_of: dict[int, int | None]

    def reps(self, manager_id: int) -> set[int]:
        return {rep for rep, _first, _last in self.spans.get(manager_id, ())}

    def by_rep(self) -> dict[int, list[tuple[int, dt.date, dt.date]]]:
        """Rep id -> (manager, first, last) of their lines in the window."""
        found: dict[int, list] = defaultdict(list)
        for manager_id, spans in self.spans.items():
            for rep, first, last in spans:
                found[rep].append((manager_id, first, last))
        return found


def _lines(
    org: Organisation, manager_ids: Collection[int], start: dt.date, end: dt.date, ref: dt.date
) -> _Lines:
    overlapping = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    rows = ReportingLine.objects.filter(organisation=org).filter(
        (overlapping & Q(manager_id__in=manager_ids)) | Q(person_id__in=manager_ids)
    )
    spans: dict[int, list] = defaultdict(list)
    team_of: dict[int, int | None] = {}
    for person_id, manager_id, team_id, first, last in rows.values_list(
        "person_id", "manager_id", "team_id", "valid_from", "valid_to"
    ):
        last = last or dt.date.max
        if manager_id in manager_ids and first <= end and last >= start:
            spans[manager_id].append((person_id, max(first, start), min(last, end)))
        if person_id in manager_ids and first <= ref <= last:
            team_of[person_id] = team_id
    return _Lines(dict(spans), team_of)


def manager_scorecards(
    org: Organisation, manager_ids: Collection[int], period: Period, today: dt.date
) -> dict[int, ManagerScorecard]:
    """The scorecards of these managers for `period`, by manager id, from a constant number
    of queries (see the module docstring)."""
    managers = {
        p.pk: p
        for p in Person.objects.filter(organisation=org, pk__in=list(manager_ids)).select_related(
            "organisation"
        )
    }
    ids = set(managers)
    days = window(period, today)
    ref = _reference_day(period, today)
    start, end = days or (period.start, period.start - dt.timedelta(days=1))
    lines = _lines(org, ids, start, end, ref) if days else _lines(org, ids, ref, ref, ref)
    if not days:
        lines.spans = {}
    rep_sets = {m: lines.reps(m) for m in ids}
    team_ids = {t for t in lines.team_of.values() if t is not None}
    teams = {t.pk: t for t in Team.objects.filter(organisation=org, pk__in=team_ids)}
    promise = dict(
        CoachingSettings.objects.filter(team_id__in=team_ids).values_list(
            "team_id", "deal_review_days"
        )
    )
    review_days = {m: promise.get(lines.team_of.get(m)) for m in ids}

    figures: dict[int, dict[str, Figure]] = {m: {} for m in ids}
    for m, figure in _one_on_ones(org, ids, period, today).items():
        figures[m][ONE_ON_ONES] = figure
    minutes = _held_minutes(org, ids, period)
    for m in ids:
        reps = len(rep_sets[m])
        months = months_of(*days) if days else ZERO
        total = Decimal(minutes.get(m, 0))
        hours = total / 60 / reps / months if reps and months else None
        figures[m][COACHING_TIME] = Figure(
            COACHING_TIME, hours, total, Decimal(reps) * months, guidance(hours)
        )
    for m, figure in _commitments(org, ids, period, today).items():
        figures[m][COMMITMENTS] = figure
    for m, figure in _self_reports(org, lines, rep_sets, period).items():
        figures[m][SELF_REPORTS] = figure
    for m, figure in _stepped_in(org, ids, period).items():
        figures[m][STEPPED_IN] = figure
    for m, figure in _deal_reviews(org, rep_sets, review_days, days).items():
        figures[m][DEAL_REVIEWS] = figure
    for m, figure in _attainment(org, lines.team_of, period).items():
        figures[m][ATTAINMENT] = figure
    return {
        m: ManagerScorecard(
            manager=managers[m],
            period=period,
            team=teams.get(lines.team_of.get(m)),
            rep_ids=frozenset(rep_sets[m]),
            review_days=review_days[m],
            figures=figures[m],
        )
        for m in ids
    }


def manager_scorecard(manager: Person, period: Period, today: dt.date) -> ManagerScorecard:
    return manager_scorecards(manager.organisation, [manager.pk], period, today)[manager.pk]


def _meetings_in(org: Organisation, period: Period):
    return Meeting.objects.filter(
        organisation=org,
        scheduled_at__gte=_midnight(org, period.start),
        scheduled_at__lt=_midnight(org, period.end + dt.timedelta(days=1)),
    )


def _one_on_ones_query(org, period, today):
    """1:1s of the period that count: moved ones count by the meeting they were moved to."""
    return (
        _meetings_in(org, period)
        .filter(kind=MeetingKind.ONE_ON_ONE)
        .exclude(status=MeetingStatus.MOVED)
        .filter(
            Q(status__in=(MeetingStatus.HELD, MeetingStatus.MISSED))
            | Q(status=MeetingStatus.SCHEDULED, scheduled_at__lt=_midnight(org, today))
        )
    )


def _one_on_ones(org, ids, period, today) -> dict[int, Figure]:
    rows = (
        _one_on_ones_query(org, period, today)
        .filter(manager_id__in=ids)
        .values("manager_id")
        .annotate(due=Count("pk"), held=Count("pk", filter=Q(status=MeetingStatus.HELD)))
    )
    found = {r["manager_id"]: (r["held"], r["due"]) for r in rows}
    result = {}
    for m in ids:
        held, due = found.get(m, (0, 0))
        result[m] = Figure(ONE_ON_ONES, share(held, due), Decimal(held), Decimal(due))
    return result


def _held_minutes(org, ids, period) -> dict[int, int]:
    rows = (
        _meetings_in(org, period)
        .filter(manager_id__in=ids, status=MeetingStatus.HELD)
        .values("manager_id")
        .annotate(minutes=Sum("duration_minutes"))
    )
    return {r["manager_id"]: r["minutes"] or 0 for r in rows}


def _commitments_query(org, period, today):
    """The commitments due in the period that count: all but the open ones not yet due."""
    return Commitment.objects.filter(
        organisation=org, due_on__gte=period.start, due_on__lte=period.end
    ).exclude(status=CommitmentStatus.OPEN, due_on__gte=today)


KEPT = Q(status=CommitmentStatus.DONE, closed_on__isnull=False, closed_on__lte=F("due_on"))


def _commitments(org, ids, period, today) -> dict[int, Figure]:
    rows = (
        _commitments_query(org, period, today)
        .filter(owner_id__in=ids)
        .values("owner_id")
        .annotate(due=Count("pk"), kept=Count("pk", filter=KEPT))
    )
    found = {r["owner_id"]: (r["kept"], r["due"]) for r in rows}
    result = {}
    for m in ids:
        kept, due = found.get(m, (0, 0))
        result[m] = Figure(COMMITMENTS, share(kept, due), Decimal(kept), Decimal(due))
    return result


def _self_reports_query(org, period, rep_ids):
    return SelfReport.objects.filter(
        organisation=org,
        rep_id__in=list(rep_ids),
        due_on__gte=period.start,
        due_on__lte=period.end,
        submitted_at__isnull=False,
    )


def _self_reports(org, lines: _Lines, rep_sets, period) -> dict[int, Figure]:
    spans_of = lines.by_rep()
    counts: dict[int, list[int]] = {m: [0, 0] for m in rep_sets}
    rows = (
        _self_reports_query(org, period, spans_of)
        .values("rep_id", "due_on")
        .annotate(n=Count("pk"), reviewed=Count("pk", filter=Q(reviewed_at__isnull=False)))
        .values_list("rep_id", "due_on", "n", "reviewed")
    )
    for rep_id, due_on, n, reviewed in rows:
        # A report is its rep's manager's on the day it was due.
        for m, first, last in spans_of.get(rep_id, ()):
            if first <= due_on <= last and m in counts:
                counts[m][0] += reviewed
                counts[m][1] += n
    return {
        m: Figure(SELF_REPORTS, share(done, due), Decimal(done), Decimal(due))
        for m, (done, due) in counts.items()
    }


def _stepped_in(org, ids, period) -> dict[int, Figure]:
    rows = (
        SteppedIn.objects.filter(
            organisation=org, manager_id__in=ids, on__gte=period.start, on__lte=period.end
        )
        .values("manager_id")
        .annotate(n=Count("pk"))
    )
    found = {r["manager_id"]: r["n"] for r in rows}
    return {m: Figure(STEPPED_IN, Decimal(found.get(m, 0)), Decimal(found.get(m, 0))) for m in ids}


CLOSED = [value for value in Outcome.values if value != Outcome.OPEN]


def _open_in(start: dt.date, end: dt.date) -> Q:
    """Deals open on at least one day of start..end: created by its end and still open, or
    closed on or after its start (a deal is open through its close day)."""
    return _open_deals(end) | _closed_deals(start, end)


def _open_deals(end: dt.date) -> Q:
    return Q(outcome=Outcome.OPEN, created_on__lte=end)


def _closed_deals(start: dt.date, end: dt.date) -> Q:
    return Q(outcome__in=CLOSED, close_on__gte=start, created_on__lte=end)


def is_open_in(created, outcome, close_on, start: dt.date, end: dt.date) -> bool:
    """`_open_in` for one deal read into Python."""
    if created is None or created > end:
        return False
    return outcome == Outcome.OPEN or (close_on is not None and close_on >= start)


def _held_reviews(org, end: dt.date):
    return Meeting.objects.filter(
        organisation=org,
        kind=MeetingKind.DEAL_REVIEW,
        status=MeetingStatus.HELD,
        deal__isnull=False,
        scheduled_at__lt=_midnight(org, end + dt.timedelta(days=1)),
    )


def _open_until(outcome: str, close_on: dt.date | None, end: dt.date) -> dt.date:
    return end if outcome == Outcome.OPEN or close_on is None else close_on


def _days_open_at_least(days: int, vendor: str) -> RawSQL:
    """A closed deal open (created to closed) at least `days` days, in SQL either database
    computes without a function call per row."""
    if vendor == "sqlite":
        sql = 'julianday("crm_deal"."close_on") - julianday("crm_deal"."created_on") >= %s'
    else:
        sql = '("crm_deal"."close_on" - "crm_deal"."created_on") >= %s'
    return RawSQL(sql, (days,), output_field=BooleanField())


def _deal_reviews(org, rep_sets, review_days, days) -> dict[int, Figure]:
    """Deals open in the window and the late ones.

    The deals are counted in SQL with those that would be late without any review
    ("aged": open longer than the promise within the window); the few deals that had
    reviews are then judged in Python from their reviews, replacing their aged verdict.
    Open and closed deals are counted apart so that each count reads a range of the
    owner index, and no per-row subquery or function is needed."""
    empty = {m: Figure(DEAL_REVIEWS, None) for m in rep_sets}
    promised = {m: review_days[m] for m in rep_sets if review_days.get(m) is not None}
    if not days or not promised:
        return empty
    start, end = days
    reps_of_n: dict[int, set[int]] = defaultdict(set)
    for m, n in promised.items():
        reps_of_n[n] |= rep_sets[m]
    owners = list(set().union(*reps_of_n.values()))
    vendor = connections[Deal.objects.db].vendor
    aged_open, aged_closed = Q(pk__in=[]), Q(pk__in=[])
    for n, reps in reps_of_n.items():
        old = Q(created_on__lte=end - dt.timedelta(days=n + 1))
        if len(reps_of_n) > 1:
            old &= Q(owner_id__in=list(reps))
        aged_open |= old
        aged_closed |= old & (Q(close_on__gt=end) | Q(_days_open_at_least(n + 1, vendor)))
    deals = Deal.objects.filter(organisation=org, owner_id__in=owners).order_by()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # owner -> [open, late]
    for condition, aged in (
        (_open_deals(end), aged_open),
        (_closed_deals(start, end), aged_closed),
    ):
        rows = (
            deals.filter(condition)
            .values("owner_id")
            .annotate(n=Count("pk"), aged=Count("pk", filter=aged))
            .values_list("owner_id", "n", "aged")
        )
        for owner_id, n, aged_count in rows:
            counts[owner_id][0] += n
            counts[owner_id][1] += aged_count
    review_rows = (
        _held_reviews(org, end)
        .filter(deal__owner_id__in=owners)
        .order_by()
        .values_list(
            "deal_id",
            "scheduled_at",
            "deal__owner_id",
            "deal__created_on",
            "deal__outcome",
            "deal__close_on",
        )
    )
    by_deal: dict[int, list] = defaultdict(list)
    info = {}
    for deal_id, at, owner_id, created, outcome, close_on in review_rows:
        if is_open_in(created, outcome, close_on, start, end):
            by_deal[deal_id].append(local_day(org, at))
            info[deal_id] = (owner_id, created, outcome, close_on)
    # (owner, n) -> late deals with reviews minus those the SQL counted as aged.
    correction: dict[tuple[int, int], int] = defaultdict(int)
    for deal_id, reviews in by_deal.items():
        owner_id, created, outcome, close_on = info[deal_id]
        until = _open_until(outcome, close_on, end)
        for n, reps in reps_of_n.items():
            if owner_id in reps:
                late = review_late(created, until, reviews, start, end, n)
                aged = review_late(created, until, (), start, end, n)
                correction[(owner_id, n)] += int(late) - int(aged)
    result = dict(empty)
    for m, n in promised.items():
        total = sum(counts[rep][0] for rep in rep_sets[m] if rep in counts)
        missed = sum(
            (counts[rep][1] if rep in counts else 0) + correction.get((rep, n), 0)
            for rep in rep_sets[m]
        )
        kept = total - missed
        result[m] = Figure(DEAL_REVIEWS, share(kept, total), Decimal(kept), Decimal(total))
    return result


def _attainment(org, team_of: dict[int, int | None], period: Period) -> dict[int, Figure]:
    catalog = get_metrics(org)
    keys = [k for k in ATTAINMENT_METRICS if k in catalog]
    team_ids = sorted({t for t in team_of.values() if t is not None})
    result = {m: Figure(ATTAINMENT, None) for m in team_of}
    if not keys or not team_ids:
        return result
    members = totals.members_during(org, period, team_ids)
    everyone = set().union(*members.values()) if members else set()
    people = {
        p.pk: p
        for p in Person.objects.filter(organisation=org, pk__in=everyone).only(
            "pk", "role_since", "organisation_id"
        )
    }
    book = load_targets(
        org, keys, period.start, period.end, person_ids=sorted(everyone), team_ids=team_ids
    )
    figures = totals.compute_teams(org, keys, [period], team_ids)
    per_team: dict[int, Figure] = {}
    for team_id in team_ids:
        team_people = [people[pk] for pk in members.get(team_id, ()) if pk in people]
        for key in keys:
            metric = catalog[key]
            additive = str(metric.kind) in ("count", "sum")
            target = book.team_target(team_id, key, period, team_people, additive=additive).value
            if target is None:
                continue
            value = figures.get(team_id, key, period).value
            per_team[team_id] = Figure(
                ATTAINMENT,
                attainment(value, target, higher_is_better=metric.higher_is_better),
                value if value is not None else ZERO,
                target,
                key,
            )
            break
    for m, team_id in team_of.items():
        if team_id in per_team:
            result[m] = per_team[team_id]
    return result


# ---------------------------------------------------------------- drill-down


def figure_records(card: ManagerScorecard, key: str, today: dt.date) -> Records:
    """The records behind one figure of `card` (one manager: plain reads are fine here)."""
    org = card.manager.organisation
    period, m = card.period, card.manager.pk
    figure = card[key]
    rows: list[RecordRow] = []
    if key == ONE_ON_ONES:
        meetings = _one_on_ones_query(org, period, today).filter(manager_id=m)
        for meeting in meetings.select_related("rep").order_by("scheduled_at"):
            rows.append(
                RecordRow(
                    meeting,
                    meeting.status == MeetingStatus.HELD,
                    local_day(org, meeting.scheduled_at),
                    meeting.get_status_display(),
                )
            )
    elif key == COACHING_TIME:
        held = _meetings_in(org, period).filter(manager_id=m, status=MeetingStatus.HELD)
        for meeting in held.select_related("rep").order_by("scheduled_at"):
            rows.append(
                RecordRow(
                    meeting,
                    True,
                    local_day(org, meeting.scheduled_at),
                    meeting.get_kind_display(),
                    meeting.duration_minutes,
                )
            )
    elif key == COMMITMENTS:
        commitments = _commitments_query(org, period, today).filter(owner_id=m)
        kept = set(commitments.filter(KEPT).values_list("pk", flat=True))
        for commitment in commitments.order_by("due_on", "pk"):
            rows.append(
                RecordRow(
                    commitment,
                    commitment.pk in kept,
                    commitment.due_on,
                    commitment.get_status_display(),
                )
            )
    elif key == SELF_REPORTS:
        days = window(period, today)
        if not days:
            return Records(card, figure, rows)
        lines = _lines(org, {m}, *days, days[1])
        reports = _self_reports_query(org, period, card.rep_ids).select_related("rep")
        spans = lines.by_rep()
        for report in reports.order_by("due_on", "rep__name"):
            if any(f <= report.due_on <= t for _m, f, t in spans.get(report.rep_id, ())):
                rows.append(RecordRow(report, report.reviewed_at is not None, report.due_on))
    elif key == STEPPED_IN:
        stepped = SteppedIn.objects.filter(
            organisation=org, manager_id=m, on__gte=period.start, on__lte=period.end
        )
        for row in stepped.select_related("rep", "deal").order_by("on", "pk"):
            rows.append(RecordRow(row, True, row.on, row.note))
    elif key == DEAL_REVIEWS:
        rows = _deal_rows(card, today)
    return Records(card, figure, rows)


def _deal_rows(card: ManagerScorecard, today: dt.date) -> list[RecordRow]:
    days = window(card.period, today)
    n = card.review_days
    if not days or n is None or not card.rep_ids:
        return []
    org = card.manager.organisation
    start, end = days
    deals = list(
        Deal.objects.filter(organisation=org, owner_id__in=list(card.rep_ids))
        .filter(_open_in(start, end))
        .select_related("owner")
        .order_by("created_on", "pk")
    )
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for deal_id, at in (
        _held_reviews(org, end)
        .filter(deal_id__in=[d.pk for d in deals])
        .values_list("deal_id", "scheduled_at")
    ):
        reviews[deal_id].append(local_day(org, at))
    rows = []
    for deal in deals:
        until = _open_until(deal.outcome, deal.close_on, end)
        late = review_late(deal.created_on, until, reviews[deal.pk], start, end, n)
        last = max(reviews[deal.pk]) if reviews[deal.pk] else None
        rows.append(RecordRow(deal, not late, last))
    return rows


# ---------------------------------------------------------------- words


LABELS = {
    ONE_ON_ONES: _("1:1s held"),
    DEAL_REVIEWS: _("Deal reviews on time"),
    COMMITMENTS: _("Own commitments kept on time"),
    SELF_REPORTS: _("Self-reports reviewed"),
    COACHING_TIME: _("Coaching hours per rep per month"),
    STEPPED_IN: _("Stepped in"),
    ATTAINMENT: _("Team attainment"),
}
DEFINITIONS = {
    ONE_ON_ONES: _(
        "1:1s held of those due in the period: held, missed, and still scheduled after "
        "their day. A moved 1:1 counts once, as the meeting it was moved to."
    ),
    DEAL_REVIEWS: _(
        "The team's open deals that never went longer than the promised number of days "
        "without a held review (counted from the deal's creation or its previous review), "
        "of the deals open on a day of the period up to today."
    ),
    COMMITMENTS: _(
        "The manager's own commitments due in the period that were done by their due date, "
        "of all those due (open ones not yet due are left out until they are)."
    ),
    SELF_REPORTS: _(
        "Submitted self-reports of the manager's reps due in the period that the manager reviewed."
    ),
    COACHING_TIME: _(
        "Minutes of held 1:1s and deal reviews, divided by the number of reps and the "
        "months of the period up to today. Research points to 3-5 hours per rep per month."
    ),
    STEPPED_IN: _("Deals the manager recorded stepping in on (closing them for the rep)."),
    ATTAINMENT: _(
        "The team's figure against the team's target, as on the team dashboard: "
        "revenue won, else deals won."
    ),
}
