"""The three rights of many reps for one month: right thing, right way, right time.

`assess` reads everything set-based, whatever the number of people: the monthly
figures of the reps and their teams through the metric engine (history.monthly, one
computation), the goals (one query), the thresholds and mix targets (four), the
won deals by product family and type (one, only when a mix target applies), the team
lines (three) and the projection's right time. docs/diagnostics.md states each rule.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from followthrough.crm.choices import Outcome
from followthrough.diagnostics import history, projection
from followthrough.diagnostics import rights_rules as rules
from followthrough.diagnostics.findings import Evidence, Finding, Said, Status, worst
from followthrough.diagnostics.models import DiagnosticSettings, MixDimension
from followthrough.diagnostics.rights_rules import Num
from followthrough.diagnostics.scope import team_of_each
from followthrough.diagnostics.thresholds import mix_targets_for, thresholds_by_team
from followthrough.goals.targets import load_targets
from followthrough.lib.periods import Period, shift
from followthrough.metrics.totals import team_members
from followthrough.people.models import Organisation, Person
from followthrough.scorecards.choosing import period_query

ZERO = Decimal(0)
RATE_MONTHS = 6  # conversion rates: the six months before the month judged
WAY_MONTHS = 3  # meetings per 100: the quarter ending with the month (enough touches)
CREATED_MONTHS = 3  # new deals created: the quarter ending with the month
MIX_MONTHS = 6  # product mix: won deals of the six months ending with the month
CHART_MONTHS = 6


@dataclass
class ChartPoint:
    month: Period
    prospecting: Decimal
    need: Decimal | None


@dataclass
class RepRights:
    """One rep's three rights for a month, with the monthly prospecting behind the first."""

    person: Person
    month: Period
    thing: Finding
    way: Finding
    time: Finding
    chart: list[ChartPoint] = field(default_factory=list)

    @property
    def overall(self) -> Status:
        return worst([self.thing.status, self.way.status, self.time.status])

    @property
    def findings(self) -> list[Finding]:
        return [self.thing, self.way, self.time]


def _records(person: Person, key: str, month: Period) -> str:
    return reverse("person_records", args=[person.pk, key]) + "?" + period_query(month)


@functools.cache
def _definitions() -> str:
    return reverse("metric_definitions")


def _sum(values: Sequence[Decimal]) -> Decimal:
    return sum(values, start=ZERO)


def _rates(series, start: int, end: int) -> rules.Rates:
    """Rates from monthly series (a callable key -> list) over months [start, end)."""
    return rules.Rates(
        prospecting=_sum(series("cold_calls")[start:end]) + _sum(series("cold_emails")[start:end]),
        created=_sum(series("new_business_created")[start:end]),
        won_new=_sum(series("new_business_won")[start:end]),
        won=_sum(series("deals_won")[start:end]),
    )


def assess(
    org: Organisation,
    people: Sequence[Person],
    month: Period,
    today: dt.date,
    facts: projection.Facts | None = None,
) -> dict[int, RepRights]:
    """Person id -> their three rights for `month` (a calendar month); `facts`: the
    projection's, when already gathered (the nightly run shares them)."""
    people = list(people)
    if not people:
        return {}
    ids = [p.pk for p in people]
    on = min(month.end, today)
    team_of = team_of_each(org, on, ids)
    team_ids = set(team_of.values())
    members = team_members(org, on, team_ids)
    everyone = set(ids).union(*members.values()) if members else set(ids)
    months = [shift(month, -n) for n in range(RATE_MONTHS, -1, -1)]  # M-6 .. M
    figures = history.monthly(org, everyone, months)
    settings = thresholds_by_team(org, team_ids)
    default = DiagnosticSettings(organisation=org)
    mixes = mix_targets_for(org, team_ids) if team_ids else {}
    targets = load_targets(
        org, ["deals_won", "revenue_won"], months[1].start, month.end, person_ids=ids
    )
    mix_counts = _mix_counts(org, ids, month, any(mixes.values()))
    time = projection.right_time(org, people, month, today, facts)

    # A team's monthly sums, once per team and metric (many reps share a team).
    sums: dict[tuple[int | None, str], list[Decimal]] = {}

    def team_total(team_id: int | None, key: str) -> list[Decimal]:
        if (team_id, key) not in sums:
            group = (members.get(team_id) or set(ids)) if team_id else set(ids)
            sums[(team_id, key)] = figures.total(group, key)
        return sums[(team_id, key)]

    found = {}
    for person in people:
        team_id = team_of.get(person.pk)
        limits = settings.get(team_id, default) if team_id else default

        def mine(key, person=person):
            return figures.series(person.pk, key)

        def theirs(key, team_id=team_id):
            return team_total(team_id, key)

        thing = _right_thing(person, month, months, mine, theirs, targets, limits)
        chart = thing.pop("chart")
        finding = thing.pop("finding")
        mix = _mix(person, mixes.get(team_id, []) if team_id else [], mix_counts, limits)
        if mix is not None:
            if mix[0] != Status.UNKNOWN:
                finding.status = worst([finding.status, mix[0]])
            finding.reasons += mix[1]
            finding.evidence += mix[2]
        found[person.pk] = RepRights(
            person=person,
            month=month,
            thing=finding,
            way=_right_way(person, month, mine, theirs, limits),
            time=time.get(person.pk) or Finding("time", Status.UNKNOWN),
            chart=chart,
        )
    return found


def _target_wins(person, period, mine, theirs, targets, index) -> tuple[Decimal | None, bool]:
    """The month's target in won deals: the deals-won goal, else revenue / average deal size."""
    wins = targets.person_target(person, "deals_won", period)
    if wins is not None:
        return wins, False
    revenue = targets.person_target(person, "revenue_won", period)
    if revenue is None:
        return None, False
    start = max(0, index - RATE_MONTHS)
    for series in (mine, theirs):
        won = _sum(series("deals_won")[start:index])
        if won:
            return revenue / (_sum(series("revenue_won")[start:index]) / won), True
    return None, True


def _right_thing(person, month, months, mine, theirs, targets, limits) -> dict:
    own = _rates(mine, 0, RATE_MONTHS)
    rates, fallback = (own, False) if own.enough else (_rates(theirs, 0, RATE_MONTHS), True)
    last = len(months) - 1
    needs: list[tuple[Decimal, Decimal] | None] = []
    for index, each in enumerate(months):
        wins, _from_revenue = _target_wins(person, each, mine, theirs, targets, index)
        needs.append(None if wins is None else rates.need(wins))
    wins, from_revenue = _target_wins(person, month, mine, theirs, targets, last)
    prospecting = mine("cold_calls")[last] + mine("cold_emails")[last]
    chart = [
        ChartPoint(
            months[i],
            mine("cold_calls")[i] + mine("cold_emails")[i],
            needs[i][1] if needs[i] else None,
        )
        for i in range(len(months) - CHART_MONTHS, len(months))
    ]
    finding = Finding("thing", Status.UNKNOWN)
    if wins is None:
        finding.reasons.append(Said(gettext_noop("No target on deals won or revenue won.")))
        return {"finding": finding, "chart": chart}
    need = needs[last]
    if need is None:
        finding.reasons.append(
            Said(gettext_noop("Not enough won deals in the last six months to size the need."))
        )
        return {"finding": finding, "chart": chart}
    need_deals, need_prospecting = need
    if not wins:
        finding.status = Status.OK
        finding.reasons.append(
            Said(gettext_noop("No deals to win this month yet (a new hire ramping up)."))
        )
        return {"finding": finding, "chart": chart}
    if fallback:
        finding.reasons.append(
            Said(
                gettext_noop(
                    "Fewer than %(count)s new-business wins in the last six months: "
                    "the team's conversion rates are used."
                ),
                {"count": rules.MIN_OWN_WINS},
            )
        )
    share = rules.ratio(prospecting, need_prospecting) if need_prospecting else Decimal(1)
    status = rules.by_share(share, limits.watch_below, limits.help_below)
    finding.reasons.append(
        Said(
            gettext_noop(
                "%(done)s cold calls and e-mails against %(need)s needed (%(share)s %%) "
                "to win %(wins)s deals at the measured conversion rates."
            ),
            {
                "done": Num(prospecting),
                "need": Num(need_prospecting),
                "share": Num(share * 100),
                "wins": Num(wins, 1),
            },
        )
    )
    # New deals: the quarter ending with the month, against the quarter's need.
    window = range(last - CREATED_MONTHS + 1, last + 1)
    created = _sum([mine("new_business_created")[i] for i in window])
    quarter_need = _sum([needs[i][0] for i in window if needs[i]])
    created_status = Status.OK
    if quarter_need and rules.beyond_chance(created, quarter_need):
        created_status = rules.by_share(
            created / quarter_need, limits.watch_below, limits.help_below
        )
    if created_status != Status.OK:
        finding.reasons.append(
            Said(
                gettext_noop(
                    "%(created)s new deals created in the last three months against "
                    "%(need)s needed."
                ),
                {"created": Num(created), "need": Num(quarter_need)},
            )
        )
    finding.status = worst([status, created_status])
    if from_revenue:
        finding.reasons.append(
            Said(gettext_noop("The target in deals is the revenue target over the average deal."))
        )
    finding.evidence += [
        Evidence(
            _("Deals to win (target)"),
            wins,
            "count",
            reverse("person_scorecard", args=[person.pk]) + "?" + period_query(month),
        ),
        Evidence(
            _("Cold calls and e-mails"), prospecting, "count", _records(person, "cold_calls", month)
        ),
        Evidence(
            _("Cold calls and e-mails needed"), need_prospecting.quantize(Decimal(1)), "count"
        ),
        Evidence(
            _("New deals (last 3 months)"),
            created,
            "count",
            _records(person, "new_business_created", month),
        ),
        Evidence(
            _("New deals needed (last 3 months)"), quarter_need.quantize(Decimal("0.1")), "count"
        ),
        Evidence(_("New deals per 100 cold touches"), rates.deals_per_100, "ratio", _definitions()),
        Evidence(_("New-business win rate"), rates.win_rate, "percent", _definitions()),
        Evidence(_("New business share of wins"), rates.new_share, "percent", _definitions()),
    ]
    return {"finding": finding, "chart": chart}


def _mix_counts(org, ids, month: Period, wanted: bool) -> dict:
    """(owner, dimension, kind) -> won deals, and (owner, None, None) -> all won deals."""
    if not wanted:
        return {}
    start = shift(month, -(MIX_MONTHS - 1)).start
    from followthrough.crm.models import Deal

    rows = (
        Deal.objects.filter(
            organisation=org,
            owner_id__in=ids,
            outcome=Outcome.WON,
            close_on__gte=start,
            close_on__lte=month.end,
        )
        .values("owner_id", "product__family", "deal_type")
        .annotate(n=Count("pk"))
    )
    counts: dict = defaultdict(int)
    for row in rows:
        owner, n = row["owner_id"], row["n"]
        counts[(owner, None, None)] += n
        counts[(owner, MixDimension.PRODUCT_FAMILY, row["product__family"] or "")] += n
        counts[(owner, MixDimension.DEAL_TYPE, row["deal_type"] or "")] += n
    return counts


def _mix(person, targets, counts, limits):
    if not targets:
        return None
    statuses, reasons, evidence = [], [], []
    won = Decimal(counts.get((person.pk, None, None), 0))
    for target in targets:
        kind = Decimal(counts.get((person.pk, target.dimension, target.value), 0))
        status, share = rules.mix_status(kind, won, target.share, limits.mix_tolerance)
        statuses.append(status)
        if status == Status.UNKNOWN:
            reasons.append(
                Said(
                    gettext_noop(
                        "Product mix not judged: fewer than %(count)s won deals in six months."
                    ),
                    {"count": rules.MIN_MIX_DEALS},
                )
            )
        else:
            below = share * 100 < target.share
            msgid = (
                gettext_noop(
                    "%(share)s %% of won deals in the last six months were %(kind)s; the "
                    "target is at least %(target)s %% (within the tolerance of %(tolerance)s points)."
                )
                if below and status == Status.OK
                else gettext_noop(
                    "%(share)s %% of won deals in the last six months were %(kind)s; "
                    "the target is at least %(target)s %%."
                )
            )
            params = {
                "share": Num(share * 100),
                "kind": target.value,
                "target": Num(target.share),
                "tolerance": Num(limits.mix_tolerance),
            }
            reasons.append(Said(msgid, params))
        evidence.append(
            Evidence(
                _("Share of won deals: %(kind)s") % {"kind": target.value},
                None if share is None else share,
                "percent",
            )
        )
    return worst(statuses), reasons, evidence


def _channel(series, suffix: str, touches_key: str) -> rules.Channel:
    return rules.Channel(
        touches=_sum(series(touches_key)[-WAY_MONTHS:]),
        meetings=_sum(series(f"meetings_booked_{suffix}")[-WAY_MONTHS:]),
    )


def _right_way(person, month, mine, theirs, limits) -> Finding:
    finding = Finding("way", Status.UNKNOWN)
    calls, emails = _channel(mine, "calls", "cold_calls"), _channel(mine, "emails", "cold_emails")
    team_calls = _channel(theirs, "calls", "cold_calls")
    team_emails = _channel(theirs, "emails", "cold_emails")
    if calls.touches + emails.touches < rules.MIN_CHANNEL_TOUCHES:
        finding.reasons.append(
            Said(
                gettext_noop("Fewer than %(count)s cold touches in the last three months."),
                {"count": rules.MIN_CHANNEL_TOUCHES},
            )
        )
        return finding
    statuses = []
    names = {"calls": _("cold calls"), "emails": _("cold e-mails")}
    for name, rep, team, key in (
        ("calls", calls, team_calls, "meetings_per_100_cold_calls"),
        ("emails", emails, team_emails, "meetings_per_100_cold_emails"),
    ):
        status, share = rules.channel_rate_status(rep, team, limits.watch_below, limits.help_below)
        statuses.append(status)
        if status in (Status.WATCH, Status.HELP):
            finding.reasons.append(
                Said(
                    gettext_noop(
                        "%(rate)s meetings per 100 %(channel)s against the team's %(team)s."
                    ),
                    {
                        "rate": Num(rep.per_100, 1),
                        "channel": names[name],
                        "team": Num(team.per_100, 1),
                    },
                )
            )
        finding.evidence += [
            Evidence(
                _("Meetings per 100 cold calls")
                if name == "calls"
                else _("Meetings per 100 cold e-mails"),
                rep.per_100,
                "ratio",
                _records(person, key, month),
            ),
            Evidence(
                _("Team: meetings per 100 cold calls")
                if name == "calls"
                else _("Team: meetings per 100 cold e-mails"),
                team.per_100,
                "ratio",
                _definitions(),
            ),
        ]
    status, weaker, share = rules.channel_mix_status(
        calls, emails, team_calls, team_emails, limits.channel_share, limits.help_below
    )
    statuses.append(status)
    if status in (Status.WATCH, Status.HELP):
        other = "calls" if weaker == "emails" else "emails"
        weak_team = team_emails if weaker == "emails" else team_calls
        strong_team = team_calls if weaker == "emails" else team_emails
        finding.reasons.append(
            Said(
                gettext_noop(
                    "%(share)s %% of cold outreach was %(channel)s, which book "
                    "%(weak)s meetings per 100 for the team against %(strong)s for %(other)s."
                ),
                {
                    "share": Num(share * 100),
                    "channel": names[weaker],
                    "weak": Num(weak_team.per_100, 1),
                    "strong": Num(strong_team.per_100, 1),
                    "other": names[other],
                },
            )
        )
    if share is not None:
        finding.evidence.append(
            Evidence(
                _("Share of cold outreach by e-mail"),
                rules.ratio(emails.touches, calls.touches + emails.touches),
                "percent",
                _records(person, "cold_emails", month),
            )
        )
    finding.status = worst(statuses)
    if finding.status == Status.OK:
        finding.reasons.insert(
            0, Said(gettext_noop("Meetings per cold touch and channel mix in line with the team."))
        )
    return finding


def team_summary(rights: Sequence[RepRights]) -> dict[str, dict[str, list[Person]]]:
    """Right -> status -> the people: who needs help (or is watched) on which right."""
    summary: dict[str, dict[str, list[Person]]] = {}
    for key in ("thing", "way", "time"):
        summary[key] = {Status.HELP: [], Status.WATCH: []}
        for each in rights:
            status = getattr(each, key).status
            if status in summary[key]:
                summary[key][status].append(each.person)
    return summary


def by_gap(rights: Sequence[RepRights]) -> list[RepRights]:
    """Largest projected gap first; unknown gaps last, then the most serious, then by name."""

    def order(each: RepRights):
        gap = each.time.gap
        return (gap is None, -(gap or 0), each.overall.rank, each.person.name)

    return sorted(rights, key=order)
