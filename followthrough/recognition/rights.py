"""Who may give, grant, write and read recognition, built on people.access.

Recognition is meant to be seen by the team: everyone sees the recognition of their
own team (their teammates' kudos, badges and shared stories), and of everyone they
may see by people.access (a manager their reports, a leader their subtree, an admin
the organisation). Nothing crosses organisations.

Kudos go from anyone to anyone else active in their organisation. Badges are granted
by someone above the person (a manager, a leader, an admin), never by the person to
themself. A story on a closed deal is written by the deal's owner or someone above them;
a story not shared with the team is read only by its author and the owner's line.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from followthrough.crm.choices import Outcome
from followthrough.people import access
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Person, Role, Team

GRANTERS = (Role.MANAGER, Role.LEADER, Role.ADMIN)


def own_team_id(viewer: Person) -> int | None:
    """The team `viewer` is in today (cached on the instance: one query a request)."""
    if not hasattr(viewer, "_recognition_team"):
        line = lines_on(viewer.organisation, today_for(viewer.organisation)).filter(person=viewer)
        viewer._recognition_team = line.values_list("team_id", flat=True).first()
    return viewer._recognition_team


def teammate_ids(viewer: Person) -> set[int]:
    """Ids of the people in `viewer`'s team today, `viewer` included."""
    if not hasattr(viewer, "_recognition_mates"):
        team_id = own_team_id(viewer)
        mates = {viewer.pk}
        if team_id is not None:
            day = today_for(viewer.organisation)
            mates |= set(
                lines_on(viewer.organisation, day)
                .filter(team_id=team_id)
                .values_list("person_id", flat=True)
            )
        viewer._recognition_mates = mates
    return viewer._recognition_mates


def seen_person_ids(viewer: Person) -> set[int] | None:
    """Ids of the people whose recognition `viewer` sees; None: the whole organisation."""
    ids = access.visible_person_ids(viewer)
    return None if ids is None else ids | teammate_ids(viewer)


def can_see_recognition_of(viewer: Person | None, person: Person) -> bool:
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    ids = seen_person_ids(viewer)
    return ids is None or person.pk in ids


def feed_teams(viewer: Person) -> QuerySet[Team]:
    """Teams whose feed `viewer` may open: their own, and the teams they may see."""
    own = own_team_id(viewer)
    visible = access.visible_teams(viewer).values("pk")
    teams = Team.objects.filter(organisation_id=viewer.organisation_id)
    return teams.filter(Q(pk__in=visible) | Q(pk=own)).order_by("name")


def can_view_feed(viewer: Person | None, team: Team) -> bool:
    if viewer is None or team.organisation_id != viewer.organisation_id:
        return False
    return team.pk == own_team_id(viewer) or access.can_view_team(viewer, team)


def can_give_kudos(sender: Person | None, recipient: Person) -> bool:
    return (
        sender is not None
        and recipient.organisation_id == sender.organisation_id
        and recipient.pk != sender.pk
        and recipient.is_active
    )


def can_grant_badges(viewer: Person | None) -> bool:
    return viewer is not None and viewer.role in GRANTERS


def can_grant_badge(viewer: Person | None, person: Person) -> bool:
    """Someone above the person, or an admin of their organisation; never oneself."""
    if viewer is None or person.organisation_id != viewer.organisation_id:
        return False
    if person.pk == viewer.pk or viewer.role not in GRANTERS:
        return False
    return viewer.role == Role.ADMIN or access.manages(viewer, person)


def can_write_story(viewer: Person | None, deal) -> bool:
    """The owner of a closed deal, or someone above them (an admin too)."""
    if viewer is None or deal.organisation_id != viewer.organisation_id:
        return False
    if deal.outcome not in (Outcome.WON, Outcome.LOST) or deal.owner_id is None:
        return False
    if deal.owner_id == viewer.pk or viewer.role == Role.ADMIN:
        return True
    return access.manages(viewer, deal.owner)


def visible_stories_filter(viewer: Person) -> Q:
    """Stories `viewer` may read: shared ones of the people whose recognition they see,
    their own, and every story on deals of their line (shared or not)."""
    mine = Q(organisation_id=viewer.organisation_id)
    line = access.visible_person_ids(viewer)
    if line is None:
        return mine
    seen = seen_person_ids(viewer) or set()
    shared = Q(shared=True) & (Q(deal__owner_id__in=seen) | Q(author_id__in=seen))
    return mine & (Q(author_id=viewer.pk) | Q(deal__owner_id__in=line) | shared)


def can_read_story(viewer: Person | None, story) -> bool:
    if viewer is None or story.organisation_id != viewer.organisation_id:
        return False
    from followthrough.recognition.models import Story

    return Story.objects.filter(visible_stories_filter(viewer), pk=story.pk).exists()
