"""Figures of teams and of the whole organisation, the same for every viewer.

A team's figure counts each person for the days they belonged to it (or to one of
its sub-teams) in the period: the facts dated in the period while they were on the
team, by the reporting lines of those days. A rep who moved from Benelux to DACH
on 15 March counts for Benelux for 1-14 March and for DACH from the 15th, whoever
looks and whenever they look (docs/metrics.md, "Teams").

The organisation's figure is everyone's parts added up, plus the facts without an
owner (no person counts them; rollups do not hold them).

A constant number of queries: the teams and the reporting lines of the periods (2),
the parts of those who stayed all period (as engine.compute), the parts of those
who moved, over their own days (one query per kind of fact and date), and, for the
organisation, the ownerless facts (one query per kind of fact and date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from decimal import Decimal

from django.db.models import Q, QuerySet

from followthrough.lib.periods import Period
from followthrough.metrics.catalog import get_metrics
from followthrough.metrics.definitions import SOURCES
from followthrough.metrics.engine import Results, _Maker, _parts, _resolve, as_decimal, facts
from followthrough.metrics.reading import (
    ZERO,
    disjoint_groups,
    read_facts,
    read_shared_spans,
    read_spans,
    shares_credit,
)
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Organisation, ReportingLine, Team

# Owner ids of the organisation's figures in the Results of compute_organisation.
ORGANISATION, UNASSIGNED = 0, -1

Sums = dict[int, tuple[Decimal, Decimal]]


def _add(into: Sums, parts: dict) -> None:
    for metric_id, pair in parts.items():
        _add_one(into, metric_id, pair)


def _add_one(into: Sums, metric_id: int, pair: tuple) -> None:
    n, total = pair
    was_n, was_total = into.get(metric_id, (ZERO, ZERO))
    into[metric_id] = (was_n + as_decimal(n), was_total + as_decimal(total))


def _ancestors(org: Organisation) -> dict[int, list[int]]:
    """Team id -> the team and every team above it, from one query."""
    parent_of = dict(Team.objects.filter(organisation=org).values_list("pk", "parent_id"))
    chains: dict[int, list[int]] = {}
    for team_id in parent_of:
        chain, node = [], team_id
        while node is not None and node not in chain and node in parent_of:
            chain.append(node)  # bad data with a loop must not hang the page
            node = parent_of.get(node)
        chains[team_id] = chain
    return chains


def team_members(
    org: Organisation, on: dt.date, team_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Team id -> ids of the people in it or its sub-teams on `on`, from two queries."""
    chains = _ancestors(org)
    members: dict[int, set[int]] = {pk: set() for pk in chains}
    pairs = lines_on(org, on).filter(team__isnull=False).values_list("person_id", "team_id")
    for person_id, team_id in pairs:
        for node in chains.get(team_id, ()):
            members[node].add(person_id)
    if team_ids is not None:
        wanted = set(team_ids)
        members = {pk: ids for pk, ids in members.items() if pk in wanted}
    return members


def members_during(
    org: Organisation, period: Period, team_ids: Collection[int] | None = None
) -> dict[int, set[int]]:
    """Team id -> ids of the people in it or its sub-teams on any day of `period`."""
    chains = _ancestors(org)
    members: dict[int, set[int]] = {pk: set() for pk in chains}
    for person_id, team_id, _first, _last in _lines(org, period.start, period.end):
        for node in chains.get(team_id, ()):
            members[node].add(person_id)
    if team_ids is not None:
        members = {pk: ids for pk, ids in members.items() if pk in set(team_ids)}
    return members


def _lines(org: Organisation, start: dt.date, end: dt.date) -> list[tuple]:
    """(person id, team id, first day, last day) of the team lines overlapping start..end."""
    overlapping = Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    rows = ReportingLine.objects.filter(overlapping, organisation=org, team__isnull=False)
    return [
        (person_id, team_id, first, last or dt.date.max)
        for person_id, team_id, first, last in rows.values_list(
            "person_id", "team_id", "valid_from", "valid_to"
        )
    ]


def compute_teams(
    org: Organisation,
    metrics: Sequence[str],
    periods: Sequence[Period],
    team_ids: Collection[int] | None = None,
) -> Results:
    """Every requested metric per team (sub-teams included), by membership during each period.

    Parts are summed over members, never their figures averaged: a team's win rate is its
    deals won over its deals closed.
    """
    wanted, base = _resolve(get_metrics(org), metrics)
    periods = list(periods)
    chains = _ancestors(org)
    owners = list(chains) if team_ids is None else [t for t in team_ids if t in chains]
    kept = set(owners)
    if not periods:
        return Results(owners=owners, periods=periods, maker=_Maker(wanted))
    lines = _lines(org, min(p.start for p in periods), max(p.end for p in periods))
    # (period index, person) stayed all period -> their teams; else spans of their days.
    whole: dict[tuple[int, int], set[int]] = defaultdict(set)
    spans: list[tuple[int, dt.date, dt.date]] = []
    span_teams: list[tuple[int, list[int]]] = []  # (period index, teams) per span
    span_group: list[int] = []
    groups = disjoint_groups(periods)
    group_of = {index: number for number, group in enumerate(groups) for index in group}
    for index, period in enumerate(periods):
        for person_id, team_id, first, last in lines:
            if first > period.end or last < period.start:
                continue
            teams = [t for t in chains.get(team_id, ()) if t in kept]
            if not teams:
                continue
            if first <= period.start and last >= period.end:
                whole[(index, person_id)].update(teams)
            else:
                spans.append((person_id, max(first, period.start), min(last, period.end)))
                span_teams.append((index, teams))
                span_group.append(group_of[index])
    cells: dict[tuple[int, int], Sums] = defaultdict(dict)
    everyone = {person_id for _index, person_id in whole}
    if everyone:
        parts = _parts(org, base, periods, everyone, use_rollups=True)
        per_person: dict[tuple[int, int], dict] = defaultdict(dict)
        for (person_id, metric_id, index), pair in parts.items():
            per_person[(index, person_id)][metric_id] = pair
        for key, teams in whole.items():
            found = per_person.get(key)
            if found:
                for team_id in teams:
                    _add(cells[(team_id, key[0])], found)
    if spans:
        today = today_for(org)
        # One read per group of periods that do not overlap: a person's spans are disjoint.
        for number in sorted(set(span_group)):
            chosen = [i for i, g in enumerate(span_group) if g == number]
            read = read_spans(org.pk, base, [spans[i] for i in chosen], today)
            moved = read_shared_spans(org.pk, base, [spans[i] for i in chosen], today)
            for key, pair in moved.items():
                was_n, was_total = read.get(key, (ZERO, ZERO))
                read[key] = (as_decimal(was_n) + pair[0], as_decimal(was_total) + pair[1])
            by_span: dict[int, dict] = defaultdict(dict)
            for (position, metric_id), pair in read.items():
                by_span[chosen[position]][metric_id] = pair
            for span_index, found in by_span.items():
                index, teams = span_teams[span_index]
                for team_id in teams:
                    _add(cells[(team_id, index)], found)
    return Results(owners=owners, periods=periods, maker=_Maker(wanted), cells=dict(cells))


def compute_organisation(
    org: Organisation,
    metrics: Sequence[str],
    periods: Sequence[Period],
    *,
    use_rollups: bool = True,
) -> Results:
    """The whole organisation's figures (owner ORGANISATION), ownerless facts included,
    and those of the ownerless facts alone (owner UNASSIGNED)."""
    wanted, base = _resolve(get_metrics(org), metrics)
    periods = list(periods)
    cells: dict[tuple[int, int], Sums] = defaultdict(dict)
    by_index: dict[int, dict] = defaultdict(dict)
    for (_person, metric_id, index), pair in _parts(org, base, periods, None, use_rollups).items():
        _add_one(by_index[index], metric_id, pair)
    ownerless = read_facts(org.pk, base, periods, None, today_for(org), ownerless=True)
    for (_person, metric_id, index), pair in ownerless.items():
        _add_one(by_index[index], metric_id, pair)
        _add_one(cells[(UNASSIGNED, index)], metric_id, pair)
    for index, sums in by_index.items():
        cells[(ORGANISATION, index)] = sums
    return Results(
        owners=[ORGANISATION, UNASSIGNED],
        periods=periods,
        maker=_Maker(wanted),
        cells=dict(cells),
    )


def team_facts(
    org: Organisation,
    metric_key: str,
    period: Period,
    team_id: int,
    person_ids: Collection[int] | None = None,
) -> QuerySet:
    """The records behind a team's figure: its members' facts of the days they were on it
    (for a ratio or average, those behind its denominator), limited to `person_ids`."""
    records = facts(org, metric_key, period, person_ids)
    metric = get_metrics(org)[metric_key]
    spec = SOURCES[(metric.denominator if metric.is_divided else metric).source]
    day = spec.dates[(metric.denominator if metric.is_divided else metric).date_basis]
    chains = _ancestors(org)
    shared = shares_credit(metric.denominator if metric.is_divided else metric)
    days = Q(pk__in=[])
    for person_id, line_team, first, last in _lines(org, period.start, period.end):
        if team_id in chains.get(line_team, ()):
            days |= Q(**{spec.owner: person_id, f"{day}__range": (first, last)})
            if shared:
                # A member's share of a deal they co-own counts in the total too.
                days |= Q(
                    co_owner_id=person_id,
                    co_owner_percent__isnull=False,
                    **{f"{day}__range": (first, last)},
                )
    return records.filter(days)
