"""The people a diagnosis covers: the reps in view, in a team or everything the viewer may see."""

from __future__ import annotations

import datetime as dt

from followthrough.metrics.totals import team_members
from followthrough.people import access
from followthrough.people.models import Person, Role, Team


def sellers(viewer: Person, day: dt.date, team: Team | None = None) -> list[Person]:
    """Active reps the viewer may see (in `team` and its sub-teams on `day`, when given).

    A rep sees only themself. Sorted by name.
    """
    people = access.visible_people(viewer).filter(role=Role.REP, is_active=True)
    if team is not None:
        members = team_members(viewer.organisation, day, [team.pk]).get(team.pk, set())
        people = people.filter(pk__in=members)
    return list(people.order_by("name", "pk"))


def team_of_each(org, day: dt.date, person_ids) -> dict[int, int]:
    """Person id -> the id of the team they are in on `day` (one query)."""
    from followthrough.people.lines import lines_on

    rows = lines_on(org, day).filter(person_id__in=list(person_ids), team__isnull=False)
    return dict(rows.values_list("person_id", "team_id"))
