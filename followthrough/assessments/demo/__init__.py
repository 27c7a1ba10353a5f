"""The demo organisation's assessments: parts run in order, each reading what the earlier made."""

from __future__ import annotations

import datetime as dt

from followthrough.assessments.demo import assessments, calibration, plans, reviews, rubrics
from followthrough.people.models import Organisation

PARTS = (
    rubrics,
    assessments,
    plans,
    reviews,
    calibration,
)


def seed_assessments(org: Organisation, today: dt.date) -> None:
    for part in PARTS:
        part.seed(org, today)
