"""A pair's 1:1s for the meeting tests: Maya and Rita of the cast, a scheduled 1:1 today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from followthrough.coaching.cadence import at
from followthrough.coaching.models import Meeting, MeetingNote, NoteKind
from followthrough.people.lines import today_for
from tests.cast import BaseTestCase


class MeetingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = today_for(cls.org)
        cls.meeting = cls.one_on_one(cls.manager, cls.rep, cls.today, dt.time(23, 30))

    @classmethod
    def one_on_one(cls, manager, rep, day: dt.date, time=dt.time(10, 0), **extra) -> Meeting:
        return Meeting.objects.create(
            organisation=cls.org,
            manager=manager,
            rep=rep,
            scheduled_at=at(cls.org, day, time),
            **extra,
        )

    @staticmethod
    def note(meeting: Meeting, author, kind: str, text: str, question: str = "") -> MeetingNote:
        return MeetingNote.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            author=author,
            kind=kind,
            text=text,
            question=question,
        )

    def private_note(self, text: str = "Rita hides behind e-mail; push for calls.") -> MeetingNote:
        return self.note(self.meeting, self.manager, NoteKind.PRIVATE, text)

    @staticmethod
    def now():
        return timezone.now()
