"""Import goals from CSV: every row checked first, then all saved or none.

Columns (header names, any order): person or team (external id, e-mail or
name), metric (key), period (a key such as 2026-Q1, 2026-01, 2026-W03, 2026,
FY2026 or 2026-01-01..2026-03-31), target (rates in percent: "30" or "30 %");
optionally ramp ("organisation", "none", or monthly percentages such as
"25 50 75") and note. A goal that
already exists for the same person or team, metric and period is updated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from followthrough.goals import rights
from followthrough.goals.catalog import metrics_of
from followthrough.goals.models import Goal, RampChoice
from followthrough.goals.periodkeys import parse_period_key
from followthrough.goals.ramp import SharesError, parse_shares
from followthrough.goals.units import TargetError, parse_typed
from followthrough.lib.periods import check_supported
from followthrough.people.models import Person, Team

REQUIRED = ("metric", "period", "target")
OPTIONAL = ("person", "team", "ramp", "note")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    """A problem with one cell (row 1 is the header)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


class _Directory:
    """People and teams of the organisation by every identifier an import may use."""

    def __init__(self, viewer: Person) -> None:
        org = viewer.organisation
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(organisation=org):
            names = {person.external_id, person.email.lower(), person.name.strip().lower()}
            for name in names - {""}:
                self.people.setdefault(name, []).append(person)
        self.teams: dict[str, list[Team]] = {}
        for team in Team.objects.filter(organisation=org):
            for name in {team.external_id, team.name.strip().lower()} - {""}:
                self.teams.setdefault(name, []).append(team)
        self.settable_team_ids = set(rights.settable_teams(viewer).values_list("pk", flat=True))

    @staticmethod
    def find(index: dict, text: str):
        for key in (text.strip(), text.strip().lower()):
            found = index.get(key)
            if found:
                return found
        return []


def import_goals(viewer: Person, data: bytes) -> ImportResult:
    """Check every row of the CSV `data`; save them all only when none has an error."""
    result = ImportResult()
    text = _decode(data)
    if text is None:
        result.errors.append(RowError(1, "-", _("The file is not UTF-8 text.")))
        return result
    if not text.strip():
        result.errors.append(RowError(1, "-", _("The file is empty: it had no goals.")))
        return result
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    if not header or missing:
        for name in missing or REQUIRED:
            result.errors.append(RowError(1, name, _("This column is missing.")))
        return result
    if "person" not in header and "team" not in header:
        result.errors.append(RowError(1, "person", _("Add a person or a team column.")))
        return result

    org = viewer.organisation
    metrics = metrics_of(org)
    directory = _Directory(viewer)
    rows = []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            result.errors.append(
                RowError(number, "-", _("At most %(max)s rows at once.") % {"max": MAX_ROWS})
            )
            break
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue
        checked = _check_row(number, row, viewer, metrics, directory, result.errors)
        if checked is not None:
            rows.append(checked)
    if not rows and not result.errors:
        result.errors.append(RowError(2, "-", _("The file had no goals: only a header row.")))
    seen: dict[tuple, int] = {}
    for number, goal in rows:
        key = (goal.person_id, goal.team_id, goal.metric_key, goal.start, goal.end)
        if key in seen:
            message = _("Same goal as row %(row)s.") % {"row": seen[key]}
            result.errors.append(RowError(number, "period", message))
        seen[key] = number
    if result.errors:
        return result
    _save(org, [goal for _number, goal in rows], result)
    return result


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    return value.strip() if isinstance(value, str) else ""


def _check_row(number, row, viewer, metrics, directory, errors) -> tuple[int, Goal] | None:
    before = len(errors)
    goal = Goal(organisation=viewer.organisation)
    person_text, team_text = _cell(row, "person"), _cell(row, "team")
    if person_text and team_text:
        errors.append(RowError(number, "team", _("Give a person or a team, not both.")))
    elif person_text:
        found = directory.find(directory.people, person_text)
        if len(found) != 1:
            message = _("No such person.") if not found else _("More than one person matches.")
            errors.append(RowError(number, "person", message))
        elif not rights.can_set_person_goal(viewer, found[0]):
            errors.append(RowError(number, "person", _("You may not set goals for this person.")))
        else:
            goal.person = found[0]
    elif team_text:
        found = directory.find(directory.teams, team_text)
        if len(found) != 1:
            message = _("No such team.") if not found else _("More than one team matches.")
            errors.append(RowError(number, "team", message))
        elif found[0].pk not in directory.settable_team_ids:
            errors.append(RowError(number, "team", _("You may not set goals for this team.")))
        else:
            goal.team = found[0]
    else:
        errors.append(RowError(number, "person", _("Give a person or a team.")))

    metric = _cell(row, "metric")
    if metric not in metrics:
        errors.append(RowError(number, "metric", _("Unknown metric %(key)s.") % {"key": metric}))
    goal.metric_key = metric

    try:
        period = parse_period_key(_cell(row, "period"), viewer.organisation.fiscal_year_start_month)
        # A goal the pages cannot show (year 2500) is refused like a bad key.
        check_supported(period.start)
        check_supported(period.end)
        goal.start, goal.end, goal.period_kind = period.start, period.end, period.kind
    except ValueError:
        errors.append(
            RowError(
                number,
                "period",
                _(
                    "Not a period: use e.g. 2026-Q1, 2026-01, 2026-W03, 2026, FY2026 or "
                    "2026-01-01..2026-03-31."
                ),
            )
        )
    try:
        goal.target = parse_typed(_cell(row, "target"), metrics.get(metric))
    except TargetError as error:
        errors.append(RowError(number, "target", error.message))

    ramp = _cell(row, "ramp").lower()
    if ramp in ("", RampChoice.ORGANISATION):
        goal.ramp = RampChoice.ORGANISATION
    elif ramp == RampChoice.NONE:
        goal.ramp = RampChoice.NONE
    else:
        try:
            goal.ramp, goal.ramp_shares = RampChoice.CUSTOM, parse_shares(ramp)
        except SharesError as error:
            hint = _("Use organisation, none, or percentages like 25 50 75.")
            errors.append(RowError(number, "ramp", f"{error.message} {hint}"))
    goal.note = _cell(row, "note")[:300]
    return None if len(errors) > before else (number, goal)


@transaction.atomic
def _save(org, goals: list[Goal], result: ImportResult) -> None:
    existing = {
        (g.person_id, g.team_id, g.metric_key, g.start, g.end): g
        for g in Goal.objects.filter(
            organisation=org,
            metric_key__in={g.metric_key for g in goals},
            start__in={g.start for g in goals},
        )
    }
    for goal in goals:
        old = existing.get((goal.person_id, goal.team_id, goal.metric_key, goal.start, goal.end))
        if old is None:
            goal.save()
            result.created += 1
            continue
        old.target, old.ramp, old.ramp_shares, old.period_kind = (
            goal.target,
            goal.ramp,
            goal.ramp_shares,
            goal.period_kind,
        )
        old.note = goal.note or old.note
        old.save()
        result.updated += 1
