"""Shared set-up of the plan and review tests: a submitted baseline of Rita by Maya."""

from __future__ import annotations

import datetime as dt

from followthrough.assessments import assessing
from followthrough.assessments import plans as logic
from followthrough.assessments.models import AssessmentKind
from followthrough.lib.periods import months_after
from followthrough.people.lines import today_for
from tests.assessments.base import RubricTestCase

# Levels by competency position: before the plan and at its re-evaluation.
BEFORE = {0: "below", 1: "below", 2: "meets"}
AFTER = {0: "meets", 1: "exceeds", 2: "below"}
PRIVATE = "Rita is nervous about the new territory; keep it between us."


def assess(
    test, rep, rater, levels: dict[int, str], *, kind=AssessmentKind.MANAGER, cycle=None, **extra
):
    """A submitted assessment of `rep`: the given levels by position, "meets" elsewhere."""
    today = today_for(rep.organisation)
    start, end = cycle or (today.replace(day=1), today)
    assessment = assessing.start(
        rep=rep,
        rater=rater,
        kind=kind,
        template=test.template,
        cycle_start=start,
        cycle_end=end,
        **extra,
    )
    for index, competency_id in enumerate(test.competency_ids):
        assessing.rate(assessment, competency_id, levels.get(index, "meets"), f"Seen #{index}")
    return assessing.submit(assessment)


class PlanTestCase(RubricTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.today = today_for(cls.org)
        cls.baseline = assess(cls, cls.rep, cls.manager, BEFORE, private_note=PRIVATE)

    def make_plan(self, **overrides):
        values = {
            "by": self.manager,
            "rep": self.rep,
            "baseline": self.baseline,
            "goal": "Open every call with rapport; uncover needs before pitching",
            "start": self.today,
            "reevaluate_on": months_after(self.today, 4),
            "competency_ids": self.competency_ids[:2],
            "commitments": [
                logic.NewCommitment(
                    "Record two discovery calls and review them together",
                    self.today + dt.timedelta(days=30),
                )
            ],
            "today": self.today,
        }
        values.update(overrides)
        return logic.create_plan(**values)

    def reevaluate(self, plan, levels=None):
        after = logic.reevaluate(plan, by=self.manager, today=self.today)
        for index, competency_id in enumerate(self.competency_ids):
            assessing.rate(
                after, competency_id, (levels or AFTER).get(index, "meets"), f"Now #{index}"
            )
        assessing.submit(after)
        plan.refresh_from_db()
        return after
