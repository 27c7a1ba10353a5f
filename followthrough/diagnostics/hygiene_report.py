"""What the hygiene and integrity pages and endpoints show: the people in view, their
lists in the reader's words, totals per rule and the score's history (one place for
the pages and the API, so they never disagree)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followthrough.diagnostics import hygiene, integrity, rights
from followthrough.diagnostics.findings import Said
from followthrough.diagnostics.models import HygieneScore
from followthrough.diagnostics.scope import sellers
from followthrough.lib.ids import parse_id
from followthrough.metrics.labels import format_number
from followthrough.people import access
from followthrough.people.models import Person, Team

# The score's history shown: half a year of weekly points.
HISTORY_DAYS = 183


class TeamError(Exception):
    """`?team=` names no team the viewer may see."""


def choose_team(viewer: Person, params) -> Team | None:
    """The team asked for with `?team=` (None: everything the viewer may see)."""
    text = params.get("team")
    if not text:
        return None
    pk = parse_id(text)
    team = access.visible_teams(viewer).filter(pk=pk).first() if pk is not None else None
    if team is None:
        raise TeamError(_("Choose one of your teams."))
    return team


def in_words(said: Said) -> str:
    """A sentence with its dates and numbers in the reader's formats."""
    params = {}
    for key, value in said.params.items():
        if isinstance(value, dt.date):
            value = date_format(value, "DATE_FORMAT")
        elif isinstance(value, Decimal):
            value = format_number(value, 1)
        elif isinstance(value, Said):
            value = value.text
        params[key] = value
    return Said(said.msgid, params).text


@dataclass
class DealRow:
    deal_id: int
    name: str
    person: Person
    issues: list[dict] = field(default_factory=list)  # rule, label, text


@dataclass
class HygieneReport:
    people: list[Person]
    reps: list[tuple[Person, hygiene.RepHygiene]]
    deals: list[DealRow]
    totals: dict[str, int]
    open_deals: int
    clean_deals: int
    history: list[tuple[dt.date, int]]

    @property
    def score(self) -> int:
        return round(100 * self.clean_deals / self.open_deals) if self.open_deals else 100


def hygiene_for(viewer: Person, today: dt.date, team: Team | None) -> HygieneReport:
    """The hygiene of the reps the viewer may see (in `team`), today and over time."""
    people = sellers(viewer, today, team)
    found = hygiene.review(viewer.organisation, [p.pk for p in people], today)
    by_id = {p.pk: p for p in people}
    reps = [(p, found[p.pk]) for p in people]
    deals: dict[int, DealRow] = {}
    totals = {rule.value: 0 for rule in hygiene.Rule}
    for _person, rep in reps:
        for rule, count in rep.counts().items():
            totals[rule] += count
        for issue in rep.issues:
            row = deals.setdefault(
                issue.deal_id, DealRow(issue.deal_id, issue.deal_name, by_id[issue.person_id])
            )
            row.issues.append(
                {"rule": issue.rule.value, "label": issue.rule.label, "text": in_words(issue.said)}
            )
    ordered = sorted(deals.values(), key=lambda d: (d.person.name, -len(d.issues), d.name))
    return HygieneReport(
        people=people,
        reps=reps,
        deals=ordered,
        totals=totals,
        open_deals=sum(rep.open_deals for _person, rep in reps),
        clean_deals=sum(rep.clean_deals for _person, rep in reps),
        history=score_history(viewer, [p.pk for p in people], today),
    )


def score_history(
    viewer: Person, person_ids: list[int], today: dt.date
) -> list[tuple[dt.date, int]]:
    """(day, score) of these people together from the HygieneScore rows (one query), on the
    rules the history can replay, so the backfilled weeks and the nightly runs compare."""
    rows = HygieneScore.objects.filter(
        organisation=viewer.organisation,
        person_id__in=person_ids,
        day__gt=today - dt.timedelta(days=HISTORY_DAYS),
        day__lte=today,
    ).values_list("day", "open_deals", "clean_deals", "issues")
    sums: dict[dt.date, list[int]] = {}
    for day, open_deals, clean, issues in rows:
        clean = (issues or {}).get(hygiene.REPLAYABLE_CLEAN, clean)
        total = sums.setdefault(day, [0, 0])
        total[0] += open_deals
        total[1] += clean
    return [
        (day, round(100 * clean / open_deals) if open_deals else 100)
        for day, (open_deals, clean) in sorted(sums.items())
    ]


def chart(history: list[tuple[dt.date, int]], width: int = 600, height: int = 160) -> dict:
    """An inline SVG line of the score (0-100 %) over time: points, axis labels."""
    if not history:
        return {}
    pad_left, pad_bottom, pad_top = 48, 22, 10
    inner_w, inner_h = width - pad_left - 8, height - pad_bottom - pad_top
    first, last = history[0][0], history[-1][0]
    span = max((last - first).days, 1)

    # Coordinates as strings: a template would print numbers in the reader's format (8,5).
    def x(day: dt.date) -> str:
        return f"{pad_left + inner_w * (day - first).days / span:.1f}"

    def y(score: int) -> str:
        return f"{pad_top + inner_h * (100 - score) / 100:.1f}"

    points = [
        {
            "x": x(day),
            "y": y(score),
            "title": f"{date_format(day, 'DATE_FORMAT')}: {score} %",
        }
        for day, score in history
    ]
    return {
        "width": str(width),
        "height": str(height),
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "grid": [{"y": y(v), "label": f"{v} %"} for v in (0, 50, 100)],
        "left": str(pad_left),
        "label_x": str(pad_left - 4),
        "right": str(width - 8),
        "first": date_format(first, "MONTH_DAY_FORMAT"),
        "last": date_format(last, "MONTH_DAY_FORMAT"),
        "bottom": str(height - 4),
        "summary": _("Hygiene score from %(first)s (%(start)s %%) to %(last)s (%(end)s %%).")
        % {
            "first": date_format(first, "DATE_FORMAT"),
            "start": history[0][1],
            "last": date_format(last, "DATE_FORMAT"),
            "end": history[-1][1],
        },
    }


@dataclass
class IntegrityReport:
    people: list[Person]
    reps: list[tuple[Person, integrity.RepIntegrity]]

    @property
    def flagged(self) -> list[tuple[Person, integrity.RepIntegrity]]:
        return [(p, rep) for p, rep in self.reps if rep.flagged]


def integrity_people(viewer: Person, today: dt.date, team: Team | None) -> list[Person]:
    """The reps whose integrity signals the viewer sees (never themself)."""
    allowed = rights.integrity_person_ids(viewer)
    return [
        p
        for p in sellers(viewer, today, team)
        if p.pk != viewer.pk and (allowed is None or p.pk in allowed)
    ]


def integrity_for(viewer: Person, today: dt.date, team: Team | None) -> IntegrityReport:
    people = integrity_people(viewer, today, team)
    found = integrity.review(viewer.organisation, [p.pk for p in people], today)
    return IntegrityReport(people, [(p, found[p.pk]) for p in people])


def signal_rows(rep: integrity.RepIntegrity) -> list[dict]:
    """A rep's signals for a page or the API: kind, words, deal and the records cited."""
    return [
        {
            "kind": signal.kind.value,
            "label": signal.kind.label,
            "day": signal.day,
            "deal": signal.deal_id,
            "deal_name": signal.deal_name,
            "text": in_words(signal.said),
            "records": [
                {
                    "model": cite.model,
                    "id": cite.pk,
                    "at": cite.at,
                    "old": cite.old,
                    "new": cite.new,
                }
                for cite in signal.records
            ],
        }
        for signal in rep.signals
    ]
