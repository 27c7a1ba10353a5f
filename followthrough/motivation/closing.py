"""Opening and closing contests; results frozen at the close, corrections shown beside them.

Closing freezes the standings as of the close (the contest's last day, or today if
closed early) into the contest, and gives each winner the contest-winner badge (a
team's win, and a team quest met, reward every member who played). A manager closes a contest from its page; the nightly
job closes the ones they did not, a day of grace after the last day. Data that changes afterwards (a deal re-dated, a
late import) never rewrites the results people were told; the contest page shows
the figure recomputed now as "corrected after close" beside the frozen one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from followthrough.metrics.engine import UnknownMetric
from followthrough.motivation.eligibility import Field, field_of
from followthrough.motivation.models import Contest, ContestStatus, Format
from followthrough.motivation.standings import Standings, standings
from followthrough.people.lines import today_for
from followthrough.recognition.badges import award_all

WINNER_BADGE = "contest-winner"


class NotAllowed(ValueError):
    """A status change the contest's state does not allow."""


@transaction.atomic
def open_contest(contest: Contest) -> Contest:
    if contest.status != ContestStatus.DRAFT:
        raise NotAllowed("Only a draft can be opened.")
    contest.status = ContestStatus.OPEN
    contest.save(update_fields=["status", "updated_at"])
    return contest


@transaction.atomic
def close_contest(contest: Contest, *, today: dt.date | None = None) -> Standings:
    """Freeze the standings as of the close; a closed contest stays closed."""
    if contest.status == ContestStatus.CLOSED:
        raise NotAllowed("The contest is closed already.")
    today = today or today_for(contest.organisation)
    as_of = min(today, contest.end)
    field = field_of(contest)
    final = standings(contest, as_of, field=field)
    contest.results = final.to_json()
    contest.results_as_of = timezone.now()
    contest.status = ContestStatus.CLOSED
    contest.save(update_fields=["results", "results_as_of", "status", "updated_at"])
    award_all(
        contest.organisation,
        WINNER_BADGE,
        rewarded(final, field),
        f"contest:{contest.pk}",
        on=today,
    )
    return final


def rewarded(final: Standings, field: Field) -> dict[int, dict]:
    """Person id -> the evidence of their contest-winner badge: who won, or played in a team that did."""
    contest = final.contest
    found = {}
    for entry in final.winners:
        if entry.person_id is not None:
            ids = [entry.person_id]
        else:
            ids = [pid for pid, team in field.team_of.items() if team == entry.team_id]
        for pid in ids:
            found[pid] = {
                "contest": contest.name,
                "contest_id": contest.pk,
                "team_quest": contest.format == Format.TEAM_QUEST,
                "team": entry.name if entry.person_id is None else "",
                "rank": entry.rank,
                "value": None if entry.value is None else format(entry.value.normalize(), "f"),
            }
    return found


# Late entries (Friday's deal logged on Monday) still count before a contest closes itself.
GRACE_DAYS = 1


def close_finished(org, today: dt.date | None = None) -> list[Contest]:
    """Close the open contests whose last day is more than GRACE_DAYS behind (the nightly job).

    One standings computation per contest closed, not per person.
    """
    today = today or today_for(org)
    last_day = today - dt.timedelta(days=GRACE_DAYS + 1)
    due = Contest.objects.filter(organisation=org, status=ContestStatus.OPEN, end__lte=last_day)
    closed = []
    for contest in due.order_by("end", "pk"):
        contest.organisation = org
        try:
            close_contest(contest, today=today)
        except UnknownMetric:
            continue  # its page says why; a manager decides what to do with it
        closed.append(contest)
    return closed


def frozen(contest: Contest) -> Standings | None:
    if not contest.results:
        return None
    return Standings.from_json(contest, contest.results)


@dataclass(frozen=True)
class Correction:
    """A participant's figure recomputed after the close, differing from the frozen one."""

    key: str
    frozen: Decimal | None
    now: Decimal | None


def corrections(contest: Contest, final: Standings) -> dict[str, Correction]:
    """Entry key -> correction, for figures the data now gives differently (same as-of day)."""
    now = standings(contest, final.as_of)
    found = {}
    for entry in final.entries:
        current = now.entry_of(entry.key)
        value = current.value if current is not None else None
        if value != entry.value:
            found[entry.key] = Correction(entry.key, entry.value, value)
    return found
