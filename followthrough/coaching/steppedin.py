"""'I stepped in': a manager's own record that they closed a deal for a rep.

A manager who always closes teaches nothing (DOMAIN P2): the records are the
manager's, and the people above the manager see the pattern, counted per manager.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from followthrough.coaching import rights
from followthrough.coaching.models import SteppedIn
from followthrough.crm.models import Deal
from followthrough.people import access
from followthrough.people.lines import today_for
from followthrough.people.models import Person, Role


@transaction.atomic
def record_stepped_in(
    viewer: Person, deal: Deal, *, on: dt.date | None = None, note: str = ""
) -> SteppedIn:
    """The viewer stepped in on a deal of a rep they coach."""
    if deal.owner is None:
        raise ValidationError({"deal": _("This deal has no owner.")})
    if deal.organisation_id != viewer.organisation_id or not rights.can_coach(viewer, deal.owner):
        raise PermissionDenied(_("You record stepping in on deals of reps you coach."))
    today = today_for(viewer.organisation)
    on = on or today
    if on > today:
        raise ValidationError({"on": _("That day has not come yet.")})
    row = SteppedIn(
        organisation_id=viewer.organisation_id,
        manager=viewer,
        rep=deal.owner,
        deal=deal,
        on=on,
        note=note.strip(),
    )
    row.save()
    return row


def visible_stepped_in(viewer: Person) -> QuerySet[SteppedIn]:
    """The records of the viewer and of the managers reporting to them (admins: all)."""
    return SteppedIn.objects.filter(rights.visible_filter(viewer, "manager"))


@dataclass(frozen=True)
class ManagerCount:
    manager: Person
    count: int
    reps: int


def counts_per_manager(viewer: Person, start: dt.date, end: dt.date) -> list[ManagerCount]:
    """How often each manager the viewer sees stepped in between two days, most first.

    Every manager below the viewer is listed, those who never stepped in too, and the
    viewer when they manage a team themself or stepped in (two queries).
    """
    rows = (
        visible_stepped_in(viewer)
        .filter(on__gte=start, on__lte=end)
        .values("manager_id")
        .annotate(count=Count("pk"), reps=Count("rep_id", distinct=True))
    )
    found = {r["manager_id"]: r for r in rows}
    managers = [
        m
        for m in access.visible_people(viewer).filter(
            role__in=(Role.MANAGER, Role.LEADER), is_active=True
        )
        if m.pk != viewer.pk or m.role == Role.MANAGER or m.pk in found
    ]
    result = [
        ManagerCount(m, found.get(m.pk, {}).get("count", 0), found.get(m.pk, {}).get("reps", 0))
        for m in managers
    ]
    return sorted(result, key=lambda r: (-r.count, r.manager.name))
