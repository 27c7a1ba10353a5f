"""The weekly digest: what each rep, manager and leader should know on Monday morning.

Built for a whole organisation at once: every figure comes from one set-based call per
kind of fact (the metric engine once for everyone, the three rights, hygiene and
integrity once for all reps, the manager scorecards once for all managers), never from
a query per person; rendering is then per person, in their language and time zone.
The figures are month to date as of the Sunday before the week (the last full day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from followthrough.assessments.models import Review, ReviewStatus
from followthrough.coaching.managerscore import LABELS, ManagerScorecard, manager_scorecards
from followthrough.coaching.models import (
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from followthrough.diagnostics import hygiene, integrity, three_rights
from followthrough.diagnostics.findings import Status as Right
from followthrough.diagnostics.stage_order import stage_order
from followthrough.goals.attainment import Pace, attainment, elapsed, pace
from followthrough.goals.models import Goal
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.metrics.labels import format_number, format_share
from followthrough.metrics.totals import team_members
from followthrough.motivation.models import Contest, ContestStatus
from followthrough.motivation.standings import standings
from followthrough.people import access
from followthrough.people.lines import lines_on
from followthrough.people.models import Organisation, Person, Role, Team
from followthrough.recognition.models import BadgeAward, Kudos
from followthrough.scorecards.figures import ADDITIVE

RIGHTS = {"thing": _("the right thing"), "way": _("the right way"), "time": _("the right time")}


def week_of(day: dt.date) -> Period:
    """The Monday-to-Sunday week of `day`."""
    return period_of(PeriodKind.WEEK, day)


def parse_week(text: str) -> Period:
    """'2026-W50' -> that ISO week; ValueError otherwise."""
    try:
        year, week = text.strip().upper().split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{text!r} is not a week like 2026-W50") from error
    return week_of(monday)


def week_key(week: Period) -> str:
    year, number, _day = week.start.isocalendar()
    return f"{year}-W{number:02d}"


@dataclass(frozen=True)
class Figure:
    """One goal's figure month to date, with its target and pace."""

    metric: object  # metrics.models.Metric
    value: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    pace: Pace

    @property
    def behind(self) -> bool:
        return self.pace.behind


@dataclass
class RepPart:
    person: Person
    figures: list[Figure] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)  # open, due this week or late
    next_meeting: Meeting | None = None
    kudos: list[Kudos] = field(default_factory=list)
    badges: list[BadgeAward] = field(default_factory=list)
    contests: list[tuple[Contest, int | None, int]] = field(default_factory=list)  # rank of n
    rights: three_rights.RepRights | None = None
    hygiene_issues: int = 0
    open_deals: int = 0
    integrity_flags: int = 0  # only ever shown to the manager

    @property
    def behind(self) -> list[Figure]:
        return [f for f in self.figures if f.behind]

    @property
    def needs_help(self) -> list[str]:
        """The rights this rep needs help on, in words."""
        if self.rights is None:
            return []
        return [str(RIGHTS[f.key]) for f in self.rights.findings if f.status == Right.HELP]


@dataclass
class ManagerPart:
    person: Person
    reports: list[RepPart] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)  # 1:1s this week
    reviews_due: list[Review] = field(default_factory=list)
    card: ManagerScorecard | None = None

    @property
    def behind(self) -> list[RepPart]:
        return [r for r in self.reports if r.behind]

    @property
    def follow_through(self) -> list[tuple[str, str]]:
        """(label, figure) of the manager's own scorecard this month, shares in %."""
        if self.card is None:
            return []
        found = []
        for figure in self.card.ordered:
            if figure.value is None:
                continue
            shown = format_share if figure.is_share else format_number
            found.append((str(LABELS[figure.key]), shown(figure.value)))
        return found


@dataclass
class TeamLine:
    team: Team
    people: int
    behind: int
    help: int
    hygiene_issues: int


@dataclass
class LeaderPart:
    person: Person
    teams: list[TeamLine] = field(default_factory=list)


@dataclass
class Week:
    organisation: Organisation
    week: Period
    as_of: dt.date
    month: Period
    reps: dict[int, RepPart]
    managers: dict[int, ManagerPart]
    leaders: dict[int, LeaderPart]
    everyone: dict[int, RepPart]  # every active rep's part, for teams' chat channels

    @property
    def key(self) -> str:
        return week_key(self.week)

    def part(self, person_id: int) -> RepPart | ManagerPart | LeaderPart | None:
        return (
            self.managers.get(person_id) or self.leaders.get(person_id) or self.reps.get(person_id)
        )


def recipients(org: Organisation) -> list[Person]:
    """Everyone who gets a digest: active reps, managers and leaders who can log in."""
    return list(
        Person.objects.filter(
            organisation=org,
            is_active=True,
            role__in=(Role.REP, Role.MANAGER, Role.LEADER),
            user__isnull=False,
            user__is_active=True,
        )
        .exclude(email="")
        .select_related("organisation")
        .order_by("pk")
    )


def build_week(org: Organisation, week: Period, people: list[Person] | None = None) -> Week:
    """Every digest of `week` for `people` (default: all recipients)."""
    people = recipients(org) if people is None else people
    as_of = week.start - dt.timedelta(days=1)
    month = period_of(PeriodKind.MONTH, as_of)
    lines = list(lines_on(org, as_of).values_list("person_id", "manager_id", "team_id"))
    manager_of = {pid: mid for pid, mid, _t in lines}
    reps_all = list(
        Person.objects.filter(organisation=org, role=Role.REP, is_active=True).order_by("name")
    )
    parts = {p.pk: RepPart(p) for p in reps_all}
    _figures(org, parts, month, as_of)
    _diagnostics(org, parts, month, as_of)
    _commitments(org, parts, week)
    _meetings(org, parts, as_of)
    _recognition(org, parts, week)
    _contests(org, parts, as_of)

    wanted = {p.pk: p for p in people}
    managers = {}
    manager_ids = [pk for pk, p in wanted.items() if p.role == Role.MANAGER]
    cards = manager_scorecards(org, manager_ids, month, as_of) if manager_ids else {}
    for pk in manager_ids:
        part = ManagerPart(wanted[pk], card=cards.get(pk))
        part.reports = sorted(
            (parts[r] for r, m in manager_of.items() if m == pk and r in parts),
            key=lambda r: r.person.name,
        )
        managers[pk] = part
    _manager_agenda(org, managers, week)
    leader_ids = [pk for pk, p in wanted.items() if p.role == Role.LEADER]
    # Every team's members read once, whatever the number of leaders.
    members = team_members(org, as_of) if leader_ids else {}
    leaders = {
        pk: LeaderPart(wanted[pk], _team_lines(wanted[pk], parts, members)) for pk in leader_ids
    }
    return Week(
        organisation=org,
        week=week,
        as_of=as_of,
        month=month,
        reps={pk: parts[pk] for pk in wanted if pk in parts},
        managers=managers,
        leaders=leaders,
        everyone=parts,
    )


def _figures(org: Organisation, parts: dict[int, RepPart], month: Period, as_of: dt.date) -> None:
    """Each rep's goals this month, month to date: one engine call for everyone."""
    ids = list(parts)
    keys = sorted(
        set(
            Goal.objects.filter(
                organisation=org, person_id__in=ids, start__lte=month.end, end__gte=month.start
            ).values_list("metric_key", flat=True)
        )
    )
    catalog = engine.get_metrics(org)
    metrics = [catalog[k] for k in keys if k in catalog]
    if not metrics or not ids:
        return
    so_far = Period(month.start, as_of) if as_of < month.end else month
    results = engine.compute(org, [m.key for m in metrics], [so_far], ids)
    book = load_targets(org, [m.key for m in metrics], month.start, month.end, person_ids=ids)
    share = elapsed(month, as_of)
    for pk, part in parts.items():
        for metric in metrics:
            if not book.has_person_goal(pk, metric.key):
                continue
            additive = str(metric.kind) in ADDITIVE
            better = metric.higher_is_better
            value = results.get(pk, metric.key, so_far).value
            target = book.person_target(part.person, metric.key, month, additive=additive)
            part.figures.append(
                Figure(
                    metric,
                    value,
                    target,
                    attainment(value, target, higher_is_better=better),
                    pace(value, target, share, accumulates=additive, higher_is_better=better),
                )
            )


def _diagnostics(org: Organisation, parts: dict[int, RepPart], month: Period, day) -> None:
    """Last month's three rights, today's hygiene and integrity: once for all reps."""
    last = period_of(PeriodKind.MONTH, month.start - dt.timedelta(days=1))
    reps = [p.person for p in parts.values()]
    ids = list(parts)
    for pk, found in three_rights.assess(org, reps, last, day).items():
        parts[pk].rights = found
    order = stage_order(org, day)
    for pk, counts in hygiene.tally(org, ids, day, order).items():
        parts[pk].hygiene_issues = counts.issues
        parts[pk].open_deals = counts.open_deals
    for pk, found in integrity.review(org, ids, day, order).items():
        parts[pk].integrity_flags = len(found.flagged)


def _commitments(org: Organisation, parts: dict[int, RepPart], week: Period) -> None:
    for commitment in Commitment.objects.filter(
        organisation=org,
        owner_id__in=list(parts),
        status=CommitmentStatus.OPEN,
        due_on__lte=week.end,
    ).order_by("due_on", "pk"):
        parts[commitment.owner_id].commitments.append(commitment)


def _meetings(org: Organisation, parts: dict[int, RepPart], as_of: dt.date) -> None:
    """Each rep's next scheduled 1:1 from the week's Monday on."""
    since = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    for meeting in (
        Meeting.objects.filter(
            organisation=org,
            rep_id__in=list(parts),
            kind=MeetingKind.ONE_ON_ONE,
            status=MeetingStatus.SCHEDULED,
            scheduled_at__gte=since,
        )
        .select_related("manager")
        .order_by("scheduled_at")
    ):
        part = parts[meeting.rep_id]
        if part.next_meeting is None:
            part.next_meeting = meeting


def _recognition(org: Organisation, parts: dict[int, RepPart], week: Period) -> None:
    """Kudos and badges of the week before."""
    start, end = week.start - dt.timedelta(days=7), week.start - dt.timedelta(days=1)
    for kudos in (
        Kudos.objects.filter(
            organisation=org,
            recipient_id__in=list(parts),
            created_at__date__range=(start, end),
        )
        .select_related("sender")
        .order_by("created_at")
    ):
        parts[kudos.recipient_id].kudos.append(kudos)
    for award in (
        BadgeAward.objects.filter(
            organisation=org, person_id__in=list(parts), awarded_on__range=(start, end)
        )
        .select_related("badge")
        .order_by("awarded_on")
    ):
        parts[award.person_id].badges.append(award)


def _contests(org: Organisation, parts: dict[int, RepPart], as_of: dt.date) -> None:
    """Each open contest's standings once; every rep in it gets their own position."""
    for contest in Contest.objects.filter(
        organisation=org, status=ContestStatus.OPEN, start__lte=as_of, end__gte=as_of
    ):
        table = standings(contest, as_of)
        ranked = [e for e in table.entries if e.person_id is not None]
        for entry in ranked:
            if entry.person_id in parts:
                parts[entry.person_id].contests.append((contest, entry.rank, len(ranked)))


def _manager_agenda(org: Organisation, managers: dict[int, ManagerPart], week: Period) -> None:
    if not managers:
        return
    start = dt.datetime.combine(week.start, dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(week.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    for meeting in (
        Meeting.objects.filter(
            organisation=org,
            manager_id__in=list(managers),
            status=MeetingStatus.SCHEDULED,
            scheduled_at__gte=start,
            scheduled_at__lt=end,
        )
        .select_related("rep")
        .order_by("scheduled_at")
    ):
        managers[meeting.manager_id].meetings.append(meeting)
    for review in (
        Review.objects.filter(
            organisation=org, manager_id__in=list(managers), status=ReviewStatus.DRAFT
        )
        .filter(Q(period_end__lte=week.end))
        .select_related("rep")
        .order_by("period_end")
    ):
        managers[review.manager_id].reviews_due.append(review)


def _team_lines(
    leader: Person, parts: dict[int, RepPart], members: dict[int, set[int]]
) -> list[TeamLine]:
    """One line per team the leader may see: people, behind pace, needing help."""
    teams = list(access.visible_teams(leader).order_by("name"))
    found = []
    for team in teams:
        reps = [parts[pk] for pk in members.get(team.pk, ()) if pk in parts]
        if not reps:
            continue
        found.append(
            TeamLine(
                team,
                len(reps),
                sum(1 for r in reps if r.behind),
                sum(1 for r in reps if r.needs_help),
                sum(r.hygiene_issues for r in reps),
            )
        )
    return found
