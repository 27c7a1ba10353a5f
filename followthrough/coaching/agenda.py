"""The 1:1 agenda: sections built from data before the meeting, frozen when it is held.

Sections are pluggable: an app registers one with `register_section(key, title,
order, builder)` (the built-in ones are in coaching/sections.py; focus areas and the
three rights add theirs the same way, without editing this module). A builder takes
the AgendaContext and returns the section's items as JSON-ready dicts, from a
constant number of set-based queries: a whole agenda costs a constant number of
queries, whatever the length of the pair's history (tests pin it).

A held meeting keeps the agenda as it stood (Meeting.agenda): what was discussed
stays as it was, and later data does not rewrite it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from followthrough.coaching.models import (
    CoachingSettings,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from followthrough.people.lines import today_for
from followthrough.people.models import Organisation, Person

Builder = Callable[["AgendaContext"], list[dict[str, Any]]]


@dataclass(frozen=True)
class SectionSpec:
    """A registered section: its key, title (an English msgid or lazy text), place and builder."""

    key: str
    title: Any
    order: int
    builder: Builder
    kinds: tuple[str, ...] = (MeetingKind.ONE_ON_ONE,)
    template: str = ""


_sections: dict[str, SectionSpec] = {}


def register_section(
    key: str,
    title: Any,
    order: int,
    builder: Builder,
    *,
    kinds: tuple[str, ...] = (MeetingKind.ONE_ON_ONE,),
    template: str = "",
) -> None:
    """Add (or replace) an agenda section; `template` renders its items (else a plain list).

    A template gets `section` (key, title, items) and `meeting`; items with `text`,
    and optionally `detail`, `url` and `flags`, render well in the plain list.
    """
    _sections[key] = SectionSpec(key, title, order, builder, tuple(kinds), template)


def registered_sections(kind: str | None = None) -> list[SectionSpec]:
    import followthrough.coaching.sections  # noqa: F401  (registers the built-in sections)

    found = [s for s in _sections.values() if kind is None or kind in s.kinds]
    return sorted(found, key=lambda s: (s.order, s.key))


def section_spec(key: str) -> SectionSpec | None:
    registered_sections()
    return _sections.get(key)


@dataclass(frozen=True)
class AgendaContext:
    """What a section builder knows: the meeting, its pair and days, the team's settings."""

    meeting: Meeting
    org: Organisation
    manager: Person
    rep: Person
    day: dt.date  # the meeting's day in the organisation's time zone
    today: dt.date
    since: dt.date | None  # the day of the pair's last held 1:1 before this one
    settings: CoachingSettings

    @property
    def until(self) -> dt.date:
        """The last day with data: the meeting's day, or today for a meeting still ahead."""
        return min(self.day, self.today)


@dataclass
class Section:
    key: str
    title: str
    items: list[dict[str, Any]] = field(default_factory=list)
    template: str = ""

    @property
    def display_title(self) -> str:
        spec = section_spec(self.key)
        return str(spec.title) if spec is not None else gettext(self.title)


@dataclass
class Agenda:
    """A meeting's agenda: live, or frozen when the meeting was held."""

    built_on: dt.date
    since: dt.date | None
    sections: list[Section]
    frozen: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "built_on": self.built_on.isoformat(),
            "since": self.since.isoformat() if self.since else None,
            "sections": [
                {"key": s.key, "title": _english(s.title), "items": s.items} for s in self.sections
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Agenda:
        def day(value):
            return dt.date.fromisoformat(value) if value else None

        sections = []
        for raw in data.get("sections", []):
            spec = section_spec(raw.get("key", ""))
            sections.append(
                Section(
                    raw.get("key", ""),
                    raw.get("title", ""),
                    list(raw.get("items", [])),
                    spec.template if spec else "",
                )
            )
        built = day(data.get("built_on")) or dt.date.today()
        return cls(built, day(data.get("since")), sections, frozen=True)


def _english(title: Any) -> str:
    # A frozen agenda keeps the msgid of each title and is translated again when read.
    with translation.override(None):
        return str(title)


def last_held_day(meeting: Meeting) -> dt.date | None:
    """The day of the pair's last held 1:1 before `meeting` (one query)."""
    from followthrough.coaching.cadence import local_day

    last = (
        Meeting.objects.filter(
            organisation_id=meeting.organisation_id,
            manager_id=meeting.manager_id,
            rep_id=meeting.rep_id,
            kind=MeetingKind.ONE_ON_ONE,
            status=MeetingStatus.HELD,
            scheduled_at__lt=meeting.scheduled_at,
        )
        .order_by("-scheduled_at")
        .values_list("scheduled_at", flat=True)
        .first()
    )
    return local_day(meeting.organisation, last) if last else None


def build_agenda(meeting: Meeting, *, viewer: Person | None = None, today=None) -> Agenda:
    """The meeting's agenda: the frozen one once held, else built now from the data."""
    if meeting.status == MeetingStatus.HELD and meeting.agenda:
        return Agenda.from_json(meeting.agenda)
    from followthrough.coaching.cadence import local_day
    from followthrough.coaching.questions import settings_for_rep

    org = meeting.organisation
    today = today or today_for(org)
    day = local_day(org, meeting.scheduled_at)
    context = AgendaContext(
        meeting=meeting,
        org=org,
        manager=meeting.manager,
        rep=meeting.rep,
        day=day,
        today=today,
        since=last_held_day(meeting),
        settings=settings_for_rep(meeting.rep, min(day, today)),
    )
    sections = [
        Section(spec.key, spec.title, spec.builder(context), spec.template)
        for spec in registered_sections(meeting.kind)
    ]
    return Agenda(today, context.since, sections)
