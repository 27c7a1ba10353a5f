"""The follow-through's records: 1:1s, commitments, self-reports, agreements, the ladder."""

from followthrough.coaching.models.agreements import (
    Acknowledgement,
    Agreement,
    LadderOutcome,
    LadderStep,
    Step,
)
from followthrough.coaching.models.choices import Frequency, Interval
from followthrough.coaching.models.commitments import (
    Commitment,
    CommitmentStatus,
    Notification,
    NotificationKind,
    Problem,
    ProblemStatus,
    SelfReport,
)
from followthrough.coaching.models.feeds import CalendarFeed
from followthrough.coaching.models.meetings import (
    AgendaItem,
    Cadence,
    CoachingSettings,
    Meeting,
    MeetingKind,
    MeetingNote,
    MeetingStatus,
    MissedBy,
    NoteKind,
    SteppedIn,
)

__all__ = [
    "Acknowledgement",
    "AgendaItem",
    "Agreement",
    "Cadence",
    "CalendarFeed",
    "CoachingSettings",
    "Commitment",
    "CommitmentStatus",
    "Frequency",
    "Interval",
    "LadderOutcome",
    "LadderStep",
    "Meeting",
    "MeetingKind",
    "MeetingNote",
    "MeetingStatus",
    "MissedBy",
    "NoteKind",
    "Notification",
    "NotificationKind",
    "Problem",
    "ProblemStatus",
    "SelfReport",
    "Step",
    "SteppedIn",
]
