"""A team's coaching settings: the reflective questions, the deal-review promise, stale days.

The questions are stored in English as the team wrote them; the starter ones are
translated on display while a team leaves them unchanged (a team's own wording is
shown as written).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext, gettext_noop

from followthrough.coaching.models import CoachingSettings
from followthrough.coaching.models.meetings import default_questions
from followthrough.people.lines import line_on, today_for
from followthrough.people.models import Person, Team

# The starter questions, so that the catalogues hold them (see models.default_questions).
STARTER_QUESTIONS = (
    gettext_noop("What went well?"),
    gettext_noop("What would have gone better?"),
    gettext_noop("What will you change next time?"),
)


def settings_of(team: Team | None) -> CoachingSettings:
    """The team's settings, or the defaults (unsaved) when it has none."""
    if team is not None:
        found = CoachingSettings.objects.filter(team=team).first()
        if found is not None:
            return found
        return CoachingSettings(team=team, organisation_id=team.organisation_id)
    return CoachingSettings()


def team_of(person: Person, day: dt.date | None = None) -> Team | None:
    line = line_on(person, day or today_for(person.organisation))
    return line.team if line is not None else None


def settings_for_rep(rep: Person, day: dt.date | None = None) -> CoachingSettings:
    return settings_of(team_of(rep, day))


def display_question(text: str) -> str:
    """A question in the reader's language when it is a starter question."""
    return gettext(text) if text in default_questions() else text


def questions_of(settings: CoachingSettings) -> list[str]:
    return [q for q in (settings.questions or []) if isinstance(q, str) and q.strip()]


def parse_questions(text: str) -> list[str]:
    """One question a line; blank lines dropped. A translated starter question is
    stored as its English original, so it stays translated for every reader."""
    english = {gettext(q): q for q in default_questions()}
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [english.get(line, line) for line in lines]


def questions_text(questions: list[str]) -> str:
    return "\n".join(display_question(q) for q in questions)
