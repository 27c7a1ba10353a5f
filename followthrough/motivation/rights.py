"""Who may run, see and play contests and quests, built on people.access.

Managers run contests for their own teams, leaders for the teams in their subtree,
admins for any team or the whole organisation. A draft is seen only by those who
may change it; an open or closed contest also by the people it admits and by the
managers and leaders of its team. Nobody outside the organisation sees anything.
A person proposes quests only for themself; whoever manages them decides.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from followthrough.motivation.eligibility import eligible_contest_ids
from followthrough.motivation.models import Contest, ContestStatus, Quest, QuestStatus
from followthrough.people import access
from followthrough.people.models import Person, Role, Team

RUNNERS = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def can_run_contests(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in RUNNERS


def runnable_teams(viewer: Person) -> QuerySet[Team]:
    """Teams `viewer` may run a contest for."""
    if viewer.role == Role.ADMIN:
        return Team.objects.filter(organisation_id=viewer.organisation_id)
    if viewer.role not in RUNNERS:
        return Team.objects.none()
    return access.visible_teams(viewer)


def may_run_org_wide(viewer: Person) -> bool:
    return viewer.role == Role.ADMIN


def _team_ids(viewer: Person) -> set[int]:
    if not hasattr(viewer, "_contest_team_ids"):
        viewer._contest_team_ids = set(runnable_teams(viewer).values_list("pk", flat=True))
    return viewer._contest_team_ids


def can_change_contest(viewer: Person | None, contest: Contest) -> bool:
    if viewer is None or contest.organisation_id != viewer.organisation_id:
        return False
    if viewer.role == Role.ADMIN:
        return True
    if viewer.role not in RUNNERS or contest.eligible_team_id is None:
        return False
    return contest.eligible_team_id in _team_ids(viewer)


def visible_contests(viewer: Person) -> list[Contest]:
    """The contests `viewer` may see, newest first: a constant number of queries."""
    contests = Contest.objects.filter(organisation_id=viewer.organisation_id)
    contests = list(contests.select_related("eligible_team").order_by("-start", "name", "pk"))
    if viewer.role == Role.ADMIN:
        return contests
    playing = eligible_contest_ids(viewer, [c for c in contests if c.status != ContestStatus.DRAFT])
    shown = []
    for contest in contests:
        if can_change_contest(viewer, contest):
            shown.append(contest)
        elif contest.status != ContestStatus.DRAFT and (
            contest.pk in playing or (viewer.role in RUNNERS and contest.eligible_team_id is None)
        ):
            shown.append(contest)
    return shown


def can_view_contest(viewer: Person | None, contest: Contest) -> bool:
    if viewer is None or contest.organisation_id != viewer.organisation_id:
        return False
    return any(c.pk == contest.pk for c in visible_contests(viewer))


def is_playing(viewer: Person, contest: Contest) -> bool:
    return contest.pk in eligible_contest_ids(viewer, [contest])


# Quests


def visible_quests_filter(viewer: Person) -> Q:
    ids = access.visible_person_ids(viewer)
    org = Q(organisation_id=viewer.organisation_id)
    return org if ids is None else org & Q(person_id__in=ids)


def can_decide_quest(viewer: Person | None, quest: Quest) -> bool:
    """The proposer's manager (or someone above them, or an admin); never the proposer.

    Whether the quest still waits for a decision is quests.decide's concern."""
    if viewer is None or quest.organisation_id != viewer.organisation_id:
        return False
    if quest.person_id == viewer.pk:
        return False
    return viewer.role == Role.ADMIN or access.manages(viewer, quest.person)


def can_withdraw_quest(viewer: Person | None, quest: Quest) -> bool:
    return (
        viewer is not None and quest.person_id == viewer.pk and quest.status == QuestStatus.PROPOSED
    )
