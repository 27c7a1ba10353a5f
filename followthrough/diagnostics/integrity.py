"""Integrity signals: deal data that may have been shuffled, as prompts for a private talk.

Each signal is about one deal (or one sitting or one review) and cites the history
records behind it: the DealChange and DealStageChange rows with their ids and values,
or the activities' logging times. The rules (docs/diagnostics.md, "Integrity"), over
the last LOOKBACK_DAYS days, thresholds from the team's settings:
- push: a deal's close date pushed later `push_count` (3) times or more, the last push
  in the window;
- regression: a stage move back to an earlier stage (stage_order.py);
- amount_cut: an amount lowered in the last `late_quarter_days` (15) days of a quarter;
- edits_before_review: `edits_before_review` (10) or more changes to the rep's deals in
  the REVIEW_DAYS days before a review is shared or a 1:1 takes place, and at least
  EDIT_SURGE times the rep's usual rate over the window;
- bulk_log: `bulk_count` (10) or more activities entered at one sitting (the same day)
  `bulk_late_days` (7) or more days after they happened.

Every rep's deals see some pushes, a regression now and then and price cuts in
negotiation, so a rep is flagged on a rule only when its signals are out of proportion
to their deals (REP_SHARE of the deals with history in the window, at least
MIN_SIGNALS of them); a bulk sitting or an edit surge before a review flags on its own.
Seen only by the rep's line and admins (rights.can_see_integrity), never by the rep.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection
from django.db.models import Count, F, Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followthrough.assessments.models import Review
from followthrough.coaching.models import Meeting
from followthrough.coaching.models.meetings import MeetingKind, MeetingStatus
from followthrough.crm.choices import ChangedField
from followthrough.crm.models import Activity, DealChange, DealStageChange
from followthrough.diagnostics.findings import Said
from followthrough.diagnostics.models import DiagnosticSettings
from followthrough.diagnostics.scope import team_of_each
from followthrough.diagnostics.stage_order import StageOrder, stage_order
from followthrough.diagnostics.thresholds import thresholds_by_team
from followthrough.people.models import Organisation

# The signals look back one quarter: recent enough to talk about, long enough to see a habit.
LOOKBACK_DAYS = 90
# Edits counted before a review: the working days just before it.
REVIEW_DAYS = 3
# An edit surge is this many times the rep's usual number of edits in as many days.
EDIT_SURGE = 4
# A rep is flagged on push or amount-cut signals on at least this share of their deals
# with history in the window (and at least MIN_SIGNALS deals): see the docs for the
# demo's figures these come from.
REP_SHARE = {"push": Decimal("0.15"), "amount_cut": Decimal("0.2")}
MIN_SIGNALS = 3
# Regressions are weighed against the moves out of the stages deals go back from (in the
# demo: out of negotiation): flagged at REGRESSION_FACTOR times the organisation's share
# over the year, on at least MIN_REGRESSIONS deals.
REGRESSION_FACTOR = 2
MIN_REGRESSIONS = 3


class Kind(enum.StrEnum):
    PUSH = "push"
    REGRESSION = "regression"
    AMOUNT_CUT = "amount_cut"
    EDITS_BEFORE_REVIEW = "edits_before_review"
    BULK_LOG = "bulk_log"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    Kind.PUSH: _("Close date pushed again and again"),
    Kind.REGRESSION: _("Stage moved back"),
    Kind.AMOUNT_CUT: _("Amount cut late in the quarter"),
    Kind.EDITS_BEFORE_REVIEW: _("Many edits just before a review"),
    Kind.BULK_LOG: _("Activities logged in bulk, late"),
}

# Each signal in words, phrased as a question for a conversation.
SAYS = {
    Kind.PUSH: gettext_noop(
        "The close date was pushed %(count)s times, from %(first)s to %(last)s. "
        "What is really holding this deal up?"
    ),
    Kind.REGRESSION: gettext_noop(
        "Moved back from %(from)s to %(to)s on %(date)s. What changed with the buyer?"
    ),
    Kind.AMOUNT_CUT: gettext_noop(
        "The amount went from %(old)s to %(new)s on %(date)s, %(days)s d before the "
        "quarter ended. Was the discount needed to close in time?"
    ),
    Kind.EDITS_BEFORE_REVIEW: gettext_noop(
        "%(count)s changes to deals in the %(window)s days before the %(review)s on %(date)s, "
        "against about %(usual)s usually. Worth asking how the pipeline is kept up to date."
    ),
    Kind.BULK_LOG: gettext_noop(
        "%(count)s activities of %(first)s to %(last)s were entered on %(date)s, %(days)s "
        "d or more after they happened. Is logging as you go getting in the way?"
    ),
}

REVIEW_NAMES = {
    "review": gettext_noop("review"),
    "one_on_one": gettext_noop("1:1"),
}


@dataclass(frozen=True)
class Cite:
    """One history record behind a signal."""

    model: str  # "deal_change", "stage_change", "activity", "review", "meeting"
    pk: int
    at: dt.datetime | dt.date | None
    old: str = ""
    new: str = ""


@dataclass
class Signal:
    """One integrity signal about one person, with the records that show it."""

    kind: Kind
    person_id: int
    day: dt.date  # when it happened (the last record)
    deal_id: int | None = None
    deal_name: str = ""
    params: dict = field(default_factory=dict)
    records: list[Cite] = field(default_factory=list)

    @property
    def said(self) -> Said:
        return Said(SAYS[self.kind], self.params)


@dataclass
class RepIntegrity:
    """One person's signals, the deals they are weighed against, and the rules that flag them."""

    person_id: int
    signals: list[Signal] = field(default_factory=list)
    deals: int = 0  # deals with history in the window
    exits: int = 0  # moves out of the stages deals go back from, in the window
    regression_share: Decimal | None = None  # the organisation's, over the year
    flagged: list[Kind] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for signal in self.signals:
            found[signal.kind] += 1
        return dict(found)


def signals(
    org: Organisation, person_ids: Collection[int], today: dt.date
) -> dict[int, list[Signal]]:
    """Person id -> their integrity signals (a fixed number of queries)."""
    return {pk: rep.signals for pk, rep in review(org, person_ids, today).items()}


def review(
    org: Organisation,
    person_ids: Collection[int],
    today: dt.date,
    order: StageOrder | None = None,
) -> dict[int, RepIntegrity]:
    """Person id -> signals and flagged rules (every person given has an entry); `order`:
    the stage order as of today, when already read (the nightly run shares it)."""
    people = list(person_ids)
    found = {pk: RepIntegrity(pk) for pk in people}
    team_of = team_of_each(org, today, people)
    settings = thresholds_by_team(org, set(team_of.values()))
    default = DiagnosticSettings(organisation=org)

    def limits(person_id: int) -> DiagnosticSettings:
        return settings.get(team_of.get(person_id)) or default

    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    start = _moment(org, since)
    end = _moment(org, today + dt.timedelta(days=1))
    changes = _changes(org, people, start, end)
    order = order or stage_order(org, today)
    moments = _moments(org, people, start, end)
    backwards = [(a, b) for (a, b) in order.moves if order.is_backwards(a, b)]
    moves, moved = _moves(org, people, since, today, backwards, {rep for _, _, rep, _ in moments})

    touched: dict[int, set[int]] = defaultdict(set)
    for row in changes:
        if start <= row["changed_at"] < end:
            touched[row["owner"]].add(row["deal_id"])
    for owner, deal_id in moved.deals:
        touched[owner].add(deal_id)
    exits_from = {a for (a, b), n in order.moves.items() if n and order.is_backwards(a, b)}
    back = sum(n for (a, b), n in order.moves.items() if order.is_backwards(a, b))
    out = sum(n for (a, b), n in order.moves.items() if a in exits_from and b != a)
    share = Decimal(back) / out if out else None
    exits: dict[int, int] = defaultdict(int)
    for owner, from_stage, n in moved.by_stage:
        if from_stage in exits_from:
            exits[owner] += n
    for pk, rep in found.items():
        rep.deals = len(touched.get(pk, ()))
        rep.exits = exits.get(pk, 0)
        rep.regression_share = share

    add = _adder(found)
    zone = zoneinfo.ZoneInfo(org.timezone)
    _pushes(changes, start, end, limits, add, zone)
    _amount_cuts(changes, start, end, limits, add, zone)
    for row in moves:
        if order.is_backwards(row["from_stage"], row["to_stage"]):
            add(
                Signal(
                    Kind.REGRESSION,
                    row["owner"],
                    row["changed_on"],
                    row["deal_id"],
                    row["deal_name"],
                    {"from": row["from_stage"], "to": row["to_stage"], "date": row["changed_on"]},
                    [
                        Cite(
                            "stage_change",
                            row["id"],
                            row["changed_at"],
                            row["from_stage"],
                            row["to_stage"],
                        )
                    ],
                )
            )
    _edits_before_reviews(changes, moves, moments, start, end, limits, add, zone)
    _bulk_logs(org, people, since, today, limits, add)
    for rep in found.values():
        rep.signals.sort(key=lambda s: (s.day, s.kind), reverse=True)
        rep.flagged = _flags(rep)
    return found


def _flags(rep: RepIntegrity) -> list[Kind]:
    counts, flagged = rep.counts(), []
    for kind in Kind:
        count = counts.get(kind, 0)
        if not count:
            continue
        # Count deals, not signals: a deal regressed twice is one deal.
        deals = len({s.deal_id for s in rep.signals if s.kind == kind})
        if kind == Kind.REGRESSION:
            if (
                deals >= MIN_REGRESSIONS
                and rep.exits
                and rep.regression_share is not None
                and Decimal(count) / rep.exits >= REGRESSION_FACTOR * rep.regression_share
            ):
                flagged.append(kind)
            continue
        share = REP_SHARE.get(kind)
        if share is None:
            flagged.append(kind)
        elif deals >= MIN_SIGNALS and rep.deals and Decimal(deals) / rep.deals >= share:
            flagged.append(kind)
    return flagged


def _adder(found: dict[int, RepIntegrity]):
    def add(signal: Signal) -> None:
        rep = found.get(signal.person_id)
        if rep is not None:
            rep.signals.append(signal)

    return add


def _moment(org: Organisation, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(org.timezone))


def _changes(org, people, start, end) -> list[dict]:
    """Close-date and amount changes of the deals changed in the window (their whole
    history, for counting pushes)."""
    recent = DealChange.objects.filter(
        organisation=org,
        deal__owner_id__in=people,
        changed_at__gte=start,
        changed_at__lt=end,
        field__in=[ChangedField.CLOSE_DATE, ChangedField.AMOUNT],
    ).values("deal_id")
    return list(
        DealChange.objects.filter(
            organisation=org,
            deal_id__in=recent,
            field__in=[ChangedField.CLOSE_DATE, ChangedField.AMOUNT],
        )
        .order_by("deal_id", "changed_at", "pk")
        .values(
            "id",
            "deal_id",
            "field",
            "old_value",
            "new_value",
            "changed_at",
            owner=F("deal__owner_id"),
            deal_name=F("deal__name"),
        )
    )


@dataclass
class Moved:
    """The stage moves of the window in aggregate: what the rules count, not cite."""

    deals: list[tuple[int, int]]  # (owner, deal) with a move in the window
    by_stage: list[tuple[int, str, int]]  # (owner, from stage, moves)


def _moves(org, people, first, last, backwards, cited) -> tuple[list[dict], Moved]:
    """The stage moves in the window: in full only those a signal may cite (the moves
    back, and every move of the people with a review or 1:1 in the window), the rest
    counted in SQL (a busy quarter has hundreds of thousands).

    The window is the review's [start, end) in time: the days first..last in the organisation's zone,
    which is what `changed_on` holds, so the moves are bounded by day alone. The
    (organisation, changed_on) index answers that (on the time SQLite reads every move
    of the table), and the time bounds as well would only mislead the planner: taking
    the two as independent, PostgreSQL expected a sixteenth of the rows and sized a
    parallel hash join for them that took five minutes instead of two seconds."""
    window = DealStageChange.objects.filter(
        organisation=org,
        deal__owner_id__in=people,
        changed_on__gte=first,
        changed_on__lte=last,
    )
    wanted = Q(deal__owner_id__in=sorted(cited)) if cited else Q(pk__isnull=True)
    for a, b in backwards:
        wanted |= Q(from_stage=a, to_stage=b)
    moves = list(
        window.filter(wanted)
        .order_by("deal_id", "changed_at", "pk")
        .values(
            "id",
            "deal_id",
            "from_stage",
            "to_stage",
            "changed_at",
            "changed_on",
            owner=F("deal__owner_id"),
            deal_name=F("deal__name"),
        )
    )
    # One pass over the window's moves for both counts: each move costs a lookup of its
    # deal's owner, the most of this read's time.
    deals: set[tuple[int, int]] = set()
    by_stage: dict[tuple[int, str], int] = defaultdict(int)
    for owner, deal_id, from_stage, n in (
        window.values_list("deal__owner_id", "deal_id", "from_stage")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        deals.add((owner, deal_id))
        by_stage[(owner, from_stage)] += n
    return moves, Moved(list(deals), [(owner, stage, n) for (owner, stage), n in by_stage.items()])


def _pushes(changes, start, end, limits, add, zone) -> None:
    by_deal: dict[int, list[dict]] = defaultdict(list)
    for row in changes:
        if row["field"] == ChangedField.CLOSE_DATE:
            old, new = parse_date(row["old_value"] or ""), parse_date(row["new_value"] or "")
            if old and new and new > old:
                by_deal[row["deal_id"]].append(row)
    for rows in by_deal.values():
        last = rows[-1]
        if len(rows) < limits(last["owner"]).push_count or not start <= last["changed_at"] < end:
            continue
        add(
            Signal(
                Kind.PUSH,
                last["owner"],
                last["changed_at"].astimezone(zone).date(),
                last["deal_id"],
                last["deal_name"],
                {
                    "count": len(rows),
                    "first": parse_date(rows[0]["old_value"]),
                    "last": parse_date(last["new_value"]),
                },
                [
                    Cite("deal_change", r["id"], r["changed_at"], r["old_value"], r["new_value"])
                    for r in rows
                ],
            )
        )


def quarter_end(day: dt.date) -> dt.date:
    """The last day of the calendar quarter of `day`."""
    month = ((day.month - 1) // 3 + 1) * 3
    following = dt.date(day.year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _amount_cuts(changes, start, end, limits, add, zone) -> None:
    for row in changes:
        if row["field"] != ChangedField.AMOUNT or not start <= row["changed_at"] < end:
            continue
        try:
            old, new = Decimal(row["old_value"]), Decimal(row["new_value"])
        except (InvalidOperation, TypeError):
            continue
        if new >= old:
            continue
        day = row["changed_at"].astimezone(zone).date()
        left = (quarter_end(day) - day).days
        if left >= limits(row["owner"]).late_quarter_days:
            continue
        add(
            Signal(
                Kind.AMOUNT_CUT,
                row["owner"],
                day,
                row["deal_id"],
                row["deal_name"],
                {"old": old, "new": new, "date": day, "days": left},
                [
                    Cite(
                        "deal_change",
                        row["id"],
                        row["changed_at"],
                        row["old_value"],
                        row["new_value"],
                    )
                ],
            )
        )


def _moments(org, people, start, end) -> list[tuple]:
    """Reviews shared and 1:1s held or scheduled in the window: (kind, id, rep, when)."""
    moments = [
        ("review", pk, rep, at)
        for pk, rep, at in Review.objects.filter(
            organisation=org, rep_id__in=people, shared_at__gte=start, shared_at__lt=end
        ).values_list("pk", "rep_id", "shared_at")
    ]
    moments += [
        ("one_on_one", pk, rep, at)
        for pk, rep, at in Meeting.objects.filter(
            organisation=org,
            rep_id__in=people,
            kind=MeetingKind.ONE_ON_ONE,
            status__in=[MeetingStatus.HELD, MeetingStatus.SCHEDULED],
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        ).values_list("pk", "rep_id", "scheduled_at")
    ]
    return moments


def _edits_before_reviews(changes, moves, moments, start, end, limits, add, zone) -> None:
    """Each review or 1:1 in the window against the edits before it (`moves` holds every
    move in the window of the people with one)."""
    reps = {rep for _, _, rep, _ in moments}
    edits: dict[int, list[tuple[dt.datetime, Cite]]] = defaultdict(list)
    for row in changes:
        if row["owner"] in reps and start <= row["changed_at"] < end:
            edits[row["owner"]].append(
                (
                    row["changed_at"],
                    Cite(
                        "deal_change",
                        row["id"],
                        row["changed_at"],
                        row["old_value"],
                        row["new_value"],
                    ),
                )
            )
    for row in moves:
        if row["owner"] in reps:
            edits[row["owner"]].append(
                (
                    row["changed_at"],
                    Cite(
                        "stage_change",
                        row["id"],
                        row["changed_at"],
                        row["from_stage"],
                        row["to_stage"],
                    ),
                )
            )
    window = dt.timedelta(days=REVIEW_DAYS)
    for name, pk, rep, at in moments:
        rows = edits.get(rep, [])
        before = [cite for when, cite in rows if at - window <= when < at]
        # The usual rate over the days the rep's history covers in the window (from their
        # first edit in it), so a short history does not make ordinary days look quiet.
        first = min((when for when, _ in rows), default=start)
        span_days = max((end - max(first, start)).days, REVIEW_DAYS)
        usual = Decimal(len(rows)) * REVIEW_DAYS / span_days
        if len(before) < limits(rep).edits_before_review or len(before) < EDIT_SURGE * usual:
            continue
        add(
            Signal(
                Kind.EDITS_BEFORE_REVIEW,
                rep,
                at.astimezone(zone).date(),
                None,
                "",
                {
                    "count": len(before),
                    "window": REVIEW_DAYS,
                    "review": Said(REVIEW_NAMES[name]),
                    "date": at.astimezone(zone).date(),
                    "usual": round(usual, 1),
                },
                [Cite(name if name == "review" else "meeting", pk, at), *before],
            )
        )


def _bulk_logs(org, people, since, today, limits, add) -> None:
    """Sittings: a person's activities entered on one day long after they happened.

    One grouped query per distinct `bulk_late_days` among the teams (usually one).
    """
    by_late: dict[int, list[int]] = defaultdict(list)
    for pk in people:
        by_late[limits(pk).bulk_late_days].append(pk)
    table = Activity._meta.db_table
    for late, ids in by_late.items():
        if connection.vendor == "postgresql":
            day = "(a.logged_at AT TIME ZONE 'UTC')::date"
            lateness = "a.logged_at - a.occurred_at >= %s * interval '1 day'"
        else:
            day = "date(a.logged_at)"
            lateness = "julianday(a.logged_at) - julianday(a.occurred_at) >= %s"
        marks = ", ".join(["%s"] * len(ids))
        # Only fixed SQL fragments and placeholders are interpolated.
        sql = (
            f"SELECT a.owner_id, {day}, COUNT(*), MIN(a.occurred_on), MAX(a.occurred_on), "  # noqa: S608
            f"MIN(a.id), MAX(a.id) FROM {table} a WHERE a.organisation_id = %s "
            f"AND a.occurred_on >= %s AND a.occurred_on <= %s AND a.owner_id IN ({marks}) "
            # The plain comparison first: it drops the activities logged as they happened
            # before the database computes any time difference.
            f"AND a.logged_at IS NOT NULL AND a.logged_at > a.occurred_at AND {lateness} "
            f"GROUP BY a.owner_id, {day} HAVING COUNT(*) >= %s"
        )
        smallest = min(limits(pk).bulk_count for pk in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [org.pk, since - dt.timedelta(days=late), today, *ids, late, smallest],
            )
            rows = cursor.fetchall()
        for owner, logged, count, first, last, low, high in rows:
            logged, first, last = (_as_date(v) for v in (logged, first, last))
            if count < limits(owner).bulk_count or logged < since:
                continue
            add(
                Signal(
                    Kind.BULK_LOG,
                    owner,
                    logged,
                    None,
                    "",
                    {"count": count, "first": first, "last": last, "date": logged, "days": late},
                    [Cite("activity", low, first), Cite("activity", high, last)],
                )
            )


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
