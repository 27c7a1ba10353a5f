"""The demo organisation's follow-through: three months of weekly 1:1s and what came of them.

Parts run in order: meetings first (commitments and problems refer to them), then
agreements and the ladder (they set each rep's self-report interval), then
commitments, self-reports and problems.
"""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.demo import agreements, commitments, managers, meetings
from followthrough.people.models import Organisation

PARTS = (meetings, agreements, commitments, managers)


def seed_coaching(org: Organisation, today: dt.date) -> None:
    for part in PARTS:
        part.seed(org, today)
