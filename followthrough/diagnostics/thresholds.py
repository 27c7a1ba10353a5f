"""A team's thresholds: its own settings, else the nearest team above it with some, else the defaults."""

from __future__ import annotations

from collections.abc import Collection

from followthrough.diagnostics.models import DiagnosticSettings, MixTarget
from followthrough.people.models import Organisation, Team


def thresholds_for(team: Team | None, org: Organisation | None = None) -> DiagnosticSettings:
    """The settings in force for `team` (unsaved defaults when no team up the tree has any)."""
    by_team = _all_settings(team.organisation_id if team else org.pk)
    return _resolve(team, by_team, org)


def thresholds_by_team(
    org: Organisation, team_ids: Collection[int]
) -> dict[int, DiagnosticSettings]:
    """Team id -> settings in force, for many teams from two queries."""
    by_team = _all_settings(org.pk)
    nearest = _nearest(org, team_ids, by_team)
    return {
        team_id: by_team.get(node) or DiagnosticSettings(organisation=org)
        for team_id, node in nearest.items()
    }


def _all_settings(org_id: int) -> dict[int, DiagnosticSettings]:
    return {s.team_id: s for s in DiagnosticSettings.objects.filter(organisation_id=org_id)}


def _resolve(team, by_team, org) -> DiagnosticSettings:
    seen = set()
    node = team
    while node is not None and node.pk not in seen:
        if node.pk in by_team:
            return by_team[node.pk]
        seen.add(node.pk)
        node = node.parent
    return DiagnosticSettings(organisation=org or team.organisation)


def mix_targets_for(org: Organisation, team_ids: Collection[int]) -> dict[int, list[MixTarget]]:
    """Team id -> the mix targets set on it or the nearest team above it that has some."""
    targets: dict[int, list[MixTarget]] = {}
    for target in MixTarget.objects.filter(organisation=org):
        targets.setdefault(target.team_id, []).append(target)
    nearest = _nearest(org, team_ids, targets)
    return {team_id: targets.get(node, []) for team_id, node in nearest.items()}


def _nearest(org: Organisation, team_ids: Collection[int], having: Collection[int]) -> dict:
    """Team id -> the team itself or the nearest one above it in `having` (None if none)."""
    parents = dict(Team.objects.filter(organisation=org).values_list("pk", "parent_id"))
    found = {}
    for team_id in team_ids:
        node, seen = team_id, set()
        while node is not None and node not in having and node not in seen:
            seen.add(node)
            node = parents.get(node)
        found[team_id] = node
    return found
