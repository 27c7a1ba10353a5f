"""Who may create, copy and revoke wallboard links: whoever may run what the link shows.

A contest's link: whoever may change the contest (its team's manager, a leader
above it, an admin). A leaderboard's link: a manager or leader for a team they
may see, an admin for any team or the whole organisation. Reps never; nobody
outside the organisation ever.
"""

from __future__ import annotations

from followthrough.motivation import rights as contest_rights
from followthrough.motivation.models import Contest
from followthrough.people.models import Person, Role
from followthrough.wallboard.models import Shows, WallboardLink

RUNNERS = contest_rights.RUNNERS


def may_share(viewer: Person | None) -> bool:
    return contest_rights.can_run_contests(viewer)


def may_share_contest(viewer: Person | None, contest: Contest) -> bool:
    return contest_rights.can_change_contest(viewer, contest)


def may_share_team(viewer: Person | None, team_id: int | None) -> bool:
    if not may_share(viewer):
        return False
    if viewer.role == Role.ADMIN:
        return team_id is None or team_id in _team_ids(viewer)
    return team_id is not None and team_id in _team_ids(viewer)


def _team_ids(viewer: Person) -> set[int]:
    if not hasattr(viewer, "_wallboard_team_ids"):
        teams = contest_rights.runnable_teams(viewer)
        viewer._wallboard_team_ids = set(teams.values_list("pk", flat=True))
    return viewer._wallboard_team_ids


def may_change(viewer: Person | None, link: WallboardLink) -> bool:
    if viewer is None or link.organisation_id != viewer.organisation_id:
        return False
    if link.shows == Shows.CONTEST:
        return may_share_contest(viewer, link.contest)
    return may_share_team(viewer, link.team_id)


def links_for(viewer: Person) -> list[WallboardLink]:
    """The organisation's links `viewer` may manage (one query, rights checked in memory)."""
    links = WallboardLink.objects.filter(organisation_id=viewer.organisation_id)
    links = links.select_related("contest", "team", "created_by", "revoked_by")
    return [link for link in links if may_change(viewer, link)]
