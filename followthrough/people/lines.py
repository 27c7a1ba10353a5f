"""Reporting lines over time: who reports to whom and who was in which team on a day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from followthrough.people.models import Organisation, Person, ReportingLine, Team


def in_force(day: dt.date) -> Q:
    """Filter for reporting lines that cover `day`."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def today_for(org: Organisation) -> dt.date:
    """Today in the organisation's time zone."""
    import zoneinfo

    return timezone.now().astimezone(zoneinfo.ZoneInfo(org.timezone)).date()


def lines_on(org: Organisation, day: dt.date) -> QuerySet[ReportingLine]:
    return ReportingLine.objects.filter(in_force(day), organisation=org)


def line_on(person: Person, day: dt.date) -> ReportingLine | None:
    return ReportingLine.objects.filter(in_force(day), person=person).first()


def team_on(person: Person, day: dt.date) -> Team | None:
    line = line_on(person, day)
    return line.team if line else None


def report_tree(org: Organisation, day: dt.date) -> dict[int, list[int]]:
    """Manager id -> direct report ids on `day`, from one query."""
    children: dict[int, list[int]] = defaultdict(list)
    pairs = lines_on(org, day).filter(manager__isnull=False).values_list("manager_id", "person_id")
    for manager_id, person_id in pairs:
        children[manager_id].append(person_id)
    return children


def reports_of(person: Person, day: dt.date | None = None) -> set[int]:
    """Ids of everyone reporting to `person` on `day`, directly or through others."""
    day = day or today_for(person.organisation)
    children = report_tree(person.organisation, day)
    found: set[int] = set()
    stack = list(children.get(person.pk, ()))
    while stack:
        pid = stack.pop()
        if pid in found or pid == person.pk:
            continue  # a cycle in bad data must not loop forever
        found.add(pid)
        stack.extend(children.get(pid, ()))
    return found


@transaction.atomic
def move(
    person: Person,
    *,
    manager: Person | None,
    team: Team | None,
    on: dt.date,
) -> ReportingLine:
    """Start a new reporting line on `on`, ending the one in force the day before."""
    current = line_on(person, on)
    if current is not None:
        if current.valid_from == on:
            current.manager, current.team = manager, team
            current.full_clean()
            current.save()
            return current
        current.valid_to = on - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    later = ReportingLine.objects.filter(person=person, valid_from__gt=on).order_by("valid_from")
    following = later.first()
    line = ReportingLine(
        organisation=person.organisation,
        person=person,
        manager=manager,
        team=team,
        valid_from=on,
        valid_to=following.valid_from - dt.timedelta(days=1) if following else None,
    )
    line.full_clean()
    line.save()
    return line
