"""What of a contest's standings each viewer sees: no public bottom ranks.

Everyone who may see a contest sees its winners and its first places; a person
sees their own row wherever it is; managers, leaders and admins see the rows of
the people they may see anyway (their reports). Teams' rows are all shown: a
team's figure shames no one person.
"""

from __future__ import annotations

from dataclasses import dataclass

from followthrough.motivation.closing import Correction
from followthrough.motivation.models import Format
from followthrough.motivation.standings import Entry, Standings
from followthrough.people import access
from followthrough.people.models import Person

PUBLIC_PLACES = 5


@dataclass(frozen=True)
class Line:
    """A row of standings as one viewer sees it."""

    entry: Entry
    is_own: bool
    correction: Correction | None = None


def public_places(standings: Standings) -> int:
    return max(PUBLIC_PLACES, standings.contest.top_n or 0)


def is_public(entry: Entry, standings: Standings) -> bool:
    if entry.team_id is not None and entry.person_id is None:
        return True
    if entry.wins and standings.contest.format != Format.TEAM_QUEST:
        return True
    return entry.rank is not None and entry.rank <= public_places(standings)


def lines_for(
    standings: Standings, viewer: Person, corrections: dict[str, Correction] | None = None
) -> tuple[list[Line], int]:
    """(the lines `viewer` sees, how many lines are kept from them)."""
    visible = access.visible_person_ids(viewer)
    corrections = corrections or {}
    shown, hidden = [], 0
    for entry in standings.entries:
        own = entry.person_id == viewer.pk
        sees = (
            own
            or is_public(entry, standings)
            or visible is None
            or (entry.person_id is not None and entry.person_id in visible)
        )
        if sees:
            shown.append(Line(entry, own, corrections.get(entry.key)))
        else:
            hidden += 1
    return shown, hidden
