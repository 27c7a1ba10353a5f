"""Import people, their teams and who they report to (a few hundred rows: plain ORM)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from followthrough.ingest.convert import Problem, file_clock, org_zone
from followthrough.ingest.lookups import build_lookups
from followthrough.ingest.mapping import Mapping
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.ingest.outcome import NO_ROWS, finish
from followthrough.ingest.readers import FileProblem, Table
from followthrough.ingest.rows import RowParser
from followthrough.lib.validators import start_bounds
from followthrough.people.lines import line_on, move
from followthrough.people.models import Organisation, Person, Role, Team, TeamKind

PERSON_FIELDS = ("external_id", "name", "email", "title", "role", "role_since", "is_active")


def started_today_warning(count: int, today: dt.date) -> str:
    return (
        f"{count} new people have no start date in the file (effective or role_since): "
        f"their reporting lines start on the day of the import, {today.isoformat()}, so past "
        "team figures are unchanged; map an effective column to date them earlier"
    )


def _key(record: dict, match: str) -> str:
    return (record.get(match) or "").casefold()


@dataclass
class CheckedPeople:
    """A people file read and checked as a whole, before anything is written."""

    records: list[tuple[int, dict]]  # (row, values) of the rows to write
    problems: list[Problem]
    match: str  # the field a person is found by: external_id, email or name
    rows_read: int = 0
    unreadable: Problem | None = None  # the rest of the file could not be read

    @property
    def rejected(self) -> set[int]:
        return {p.row for p in self.problems}


def check_email(value: str) -> str:
    """The e-mail address as the person form cleans and validates it; raises ValidationError."""
    email = value.strip().lower()
    if email:
        for validate in Person._meta.get_field("email").validators:
            validate(email)
    return email


def check_people(
    org: Organisation,
    table: Table,
    mapping: Mapping,
    file_name: str,
    on_row: Callable[[], None] = lambda: None,
) -> CheckedPeople:
    """Every check a people import makes, on every row; the run and the preview both call it."""
    zone, tz, today = file_clock(org.timezone, mapping.timezone)
    resolve_later = {"manager", "team", "parent_team"}
    parser = RowParser(
        mapping,
        table.header,
        build_lookups(org, mapping, skip=resolve_later),
        tz,
        today,
        file_name,
        day_zone=zone,
    )
    names = [f.name for f in parser.fields]
    email_column = mapping.fields["email"].column if "email" in mapping.fields else ""
    match = (
        "external_id"
        if "external_id" in mapping.fields
        else ("email" if "email" in mapping.fields else "name")
    )
    checked = CheckedPeople([], [], match)
    problems = checked.problems
    records: list[tuple[int, dict]] = []
    try:
        for number, cells in table.rows:
            checked.rows_read += 1
            values = parser.parse(number, cells, problems)
            on_row()
            if values is None:
                continue
            record = dict(zip(names, values, strict=True))
            if record.get("email"):
                try:
                    record["email"] = check_email(record["email"])
                except ValidationError:
                    problems.append(
                        Problem(number, email_column, record["email"], "not an e-mail address")
                    )
                    continue
            records.append((number, record))
    except FileProblem as problem:
        checked.unreadable = Problem(problem.row, problem.column, "", problem.reason)
        return checked

    column = mapping.fields[match].column
    seen: dict[str, int] = {}
    kept = []
    for number, record in records:
        key = _key(record, match)
        if key in seen:
            problems.append(
                Problem(
                    number, column, record.get(match, ""), f"the same person as row {seen[key]}"
                )
            )
            continue
        seen[key] = number
        kept.append((number, record))

    by_key = _people_by_key(org)
    teams = _teams_by_key(org)

    # The same bounds as the person form (lib/validators.py): "2099" is a typing mistake.
    earliest, latest = start_bounds(today)
    for number, record in kept:
        for name in ("role_since", "effective"):
            day = record.get(name)
            if isinstance(day, dt.date) and not earliest <= day <= latest:
                column = mapping.fields[name].column
                reason = f"a start date from {earliest.isoformat()} to {latest.isoformat()}"
                problems.append(Problem(number, column, day.isoformat(), reason))

    manager_map = mapping.fields.get("manager")
    team_map = mapping.fields.get("team")
    parent_map = mapping.fields.get("parent_team")
    in_file = {_key(r, manager_map.match if manager_map else match): r for _, r in kept}
    for number, record in kept:
        for fmap, found in ((manager_map, in_file), (team_map, teams), (parent_map, teams)):
            if fmap is None or not record.get(fmap.name):
                continue
            wanted = record[fmap.name].casefold()
            known = wanted in found or (fmap is manager_map and (fmap.match, wanted) in by_key)
            if not known and not fmap.create_missing:
                what = "person" if fmap is manager_map else "team"
                problems.append(Problem(number, fmap.column, record[fmap.name], f"unknown {what}"))
    problems.sort(key=lambda p: p.row)
    rejected = checked.rejected
    checked.records = [(n, r) for n, r in kept if n not in rejected]
    return checked


def _people_by_key(org: Organisation) -> dict[tuple[str, str], Person]:
    by_key: dict[tuple[str, str], Person] = {}
    for person in Person.objects.filter(organisation=org):
        for field in ("external_id", "email", "name"):
            value = (getattr(person, field) or "").casefold()
            if value:
                by_key.setdefault((field, value), person)
    return by_key


def _teams_by_key(org: Organisation) -> dict[str, Team]:
    teams = {t.name.casefold(): t for t in Team.objects.filter(organisation=org)}
    teams.update({t.external_id.casefold(): t for t in teams.values() if t.external_id})
    return teams


def import_people(run: ImportRun, table: Table, mapping: Mapping, options, report) -> ImportRun:
    org = run.organisation
    today = timezone.now().astimezone(org_zone(org.timezone)).date()

    def on_row() -> None:
        run.rows_read += 1
        report(table)

    checked = check_people(org, table, mapping, run.file_name, on_row)
    problems = checked.problems
    if checked.unreadable is not None:
        return finish(run, [*problems, checked.unreadable])
    if not run.rows_read:
        return finish(run, [Problem(1, "", "", NO_ROWS)])
    run.rejected = len(checked.rejected)
    if problems and not options.skip_invalid:
        return finish(run, problems)
    match, kept = checked.match, checked.records
    by_key = _people_by_key(org)
    teams = _teams_by_key(org)
    manager_map = mapping.fields.get("manager")
    team_map = mapping.fields.get("team")
    parent_map = mapping.fields.get("parent_team")
    started_today = 0

    run.status = RunStatus.WRITING
    report(force=True)
    created = updated = unchanged = 0
    with transaction.atomic():
        saved: dict[str, Person] = {}
        for _, record in kept:
            key = _key(record, match)
            person = by_key.get((match, key))
            fields = {f: record[f] for f in PERSON_FIELDS if f in record and record[f] is not None}
            if person is None:
                person = Person(organisation=org, **fields)
                person.save()
                created += 1
                person._new = True
            else:
                changed = {f: v for f, v in fields.items() if getattr(person, f) != v}
                for field, value in changed.items():
                    setattr(person, field, value)
                if changed:
                    person.save()
                person._new = False
                person._changed = bool(changed)
            saved[key] = person
            for field in ("external_id", "email", "name"):
                value = (getattr(person, field) or "").casefold()
                if value:
                    by_key[(field, value)] = person

        def team_for(name: str, kind: str, parent: Team | None = None) -> Team:
            team = teams.get(name.casefold())
            if team is None:
                team = Team.objects.create(organisation=org, name=name, kind=kind, parent=parent)
                teams[name.casefold()] = team
            elif parent is not None and team.parent_id is None and team.pk != parent.pk:
                team.parent = parent
                team.save()
            return team

        def manager_for(name: str, team: Team | None) -> Person:
            match_field = manager_map.match
            person = by_key.get((match_field, name.casefold()))
            if person is None:
                person = (
                    Person.objects.create(
                        organisation=org, role=Role.MANAGER, **{match_field: name}
                    )
                    if match_field != "name"
                    else Person.objects.create(organisation=org, role=Role.MANAGER, name=name)
                )
                by_key[(match_field, name.casefold())] = person
                # Nothing in the file dates a manager it creates: their line starts today.
                move(person, manager=None, team=team, on=today)
                nonlocal created, started_today
                created += 1
                started_today += 1
            return person

        for _, record in kept:
            person = saved[_key(record, match)]
            touched = person._new or getattr(person, "_changed", False)
            if manager_map is None and team_map is None:
                unchanged += not touched
                updated += (not person._new) and touched
                continue
            parent = None
            if parent_map and record.get("parent_team"):
                parent = team_for(record["parent_team"], TeamKind.REGION)
            team = (
                team_for(record["team"], TeamKind.TEAM, parent)
                if team_map and record.get("team")
                else None
            )
            manager = (
                manager_for(record["manager"], team)
                if manager_map and record.get("manager")
                else None
            )
            # A line starts when the file says (effective, else role_since for a new
            # person); otherwise today: a back-dated line would rewrite past team figures.
            start = record.get("effective") or (person._new and record.get("role_since")) or None
            if start is None:
                start = today
                started_today += person._new
            current = line_on(person, start)
            want = (manager.pk if manager else None, team.pk if team else None)
            have = (current.manager_id, current.team_id) if current else (None, None)
            if current is None or want != have:
                if manager is not None and manager.pk == person.pk:
                    continue
                move(person, manager=manager, team=team, on=start)
                touched = True
            if person._new:
                continue
            if touched:
                updated += 1
            else:
                unchanged += 1
        run.created, run.updated, run.unchanged = created, updated, unchanged
        if started_today:
            run.warnings = [*run.warnings, started_today_warning(started_today, today)]
        if options.dry_run:
            transaction.set_rollback(True)
    return finish(run, problems)
