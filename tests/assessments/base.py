"""A rubric and a published template on top of the cast, shared by the assessment tests."""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import versions
from followthrough.assessments.starter import create_starter_rubric
from tests.cast import BaseTestCase

CYCLE = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


class RubricTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.rubric = create_starter_rubric(cls.org)
        cls.template = versions.publish(
            rubric=cls.rubric,
            name="Account executive",
            kpis=[{"metric": "deals_won", "weight": "2"}],
            by=cls.admin,
        )
        cls.competency_ids = [c["id"] for c in cls.template.competencies]

    def rate_all(self, assessment, level: str = "meets") -> None:
        from followthrough.assessments import assessing

        for competency_id in self.competency_ids:
            assessing.rate(assessment, competency_id, level, "Seen on a call")
