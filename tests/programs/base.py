"""The starter program on top of the cast and a published template, for the program tests."""

from __future__ import annotations

import datetime as dt

from followthrough.programs.models import MilestoneKind
from followthrough.programs.starter import create_starter_program
from tests.assessments.base import RubricTestCase

# Rita starts on 1 October 2026; "today" in these tests is 20 November 2026 (day 50).
START = dt.date(2026, 10, 1)
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


class ProgramTestCase(RubricTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.program = create_starter_program(cls.org)
        cls.milestones = list(cls.program.milestones.order_by("due_day", "position", "pk"))
        cls.trainings = [m for m in cls.milestones if m.kind == MilestoneKind.TRAINING]
        cls.certifications = [m for m in cls.milestones if m.kind == MilestoneKind.CERTIFICATION]
        cls.metrics = {m.metric_key: m for m in cls.milestones if m.kind == MilestoneKind.METRIC}
