"""The demo's follow-through: commitments kept, late and open, self-reports, one "I'm stuck"."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import TestCase

from followthrough.coaching import commitments as logic
from followthrough.coaching.models import (
    Commitment,
    CommitmentStatus,
    LadderStep,
    Notification,
    NotificationKind,
    Problem,
    SelfReport,
)
from followthrough.coaching.selfreports import missed_filter
from followthrough.people.models import Person

TODAY = dt.date(2026, 6, 15)
# The smallest demo (two teams of four reps and an SDR each), up to Monday 15 June 2026.
SMALL = ["--reps", "8", "--months", "1", "--no-progress", "--today", TODAY.isoformat()]


class DemoCommitmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("demo", *SMALL, stdout=io.StringIO(), stderr=io.StringIO())
        cls.maya = Person.objects.get(name="Maya Manager")
        cls.otto = Person.objects.get(name="Otto Keller")

    def test_commitments_are_kept_on_time_late_and_open_some_overdue(self):
        reps = Commitment.objects.filter(owner__role="rep")
        done = [c for c in reps.filter(status=CommitmentStatus.DONE)]
        self.assertTrue(any(logic.kept_on_time(c) for c in done))
        self.assertTrue(any(not logic.kept_on_time(c) for c in done))
        self.assertTrue(reps.filter(status=CommitmentStatus.OPEN, due_on__gte=TODAY).exists())
        self.assertTrue(reps.filter(logic.overdue_filter(TODAY)).exists())
        self.assertTrue(reps.filter(meeting__isnull=True).exists())
        self.assertFalse(Commitment.objects.filter(due_on__lt=models_created_on()).exists())

    def test_maya_keeps_hers_and_otto_is_late_on_several(self):
        mayas = Commitment.objects.filter(owner=self.maya)
        self.assertTrue(mayas.exists())
        self.assertTrue(all(logic.kept_on_time(c) for c in mayas))
        ottos = list(Commitment.objects.filter(owner=self.otto))
        late = [c for c in ottos if c.status == "done" and not logic.kept_on_time(c)]
        self.assertGreaterEqual(len(late), 3)
        self.assertTrue(any(logic.is_overdue(c, TODAY) for c in ottos))

    def test_twelve_weekly_self_reports_per_rep_sara_misses_several_some_reviewed(self):
        ruben = Person.objects.get(name="Ruben Rep")
        self.assertEqual(SelfReport.objects.filter(rep=ruben).count(), 12)
        sara = Person.objects.get(name="Sara Visser")
        self.assertEqual(SelfReport.objects.filter(missed_filter(TODAY), rep=sara).count(), 4)
        written = SelfReport.objects.filter(submitted_at__isnull=False)
        self.assertTrue(all(r.results and r.coached_on and r.changed for r in written))
        self.assertTrue(written.filter(reviewed_by=self.maya).exists())

    def test_sara_reports_every_working_day_since_she_entered_step_two(self):
        sara = Person.objects.get(name="Sara Visser")
        step = LadderStep.objects.get(rep=sara, step=2)
        reports = SelfReport.objects.filter(rep=sara).order_by("period_start")
        before = [r for r in reports if r.period_end < step.started_on]
        since = [r for r in reports if r.period_start >= step.started_on]
        self.assertTrue(all((r.period_end - r.period_start).days == 6 for r in before))
        # A day each, Friday's covering the weekend: one report per working day.
        self.assertTrue(all(r.due_on == r.period_start for r in since))
        self.assertTrue(all(r.period_start.weekday() < 5 for r in since))
        # The week she entered it was already running weekly; today's report is not due yet.
        first = step.started_on + dt.timedelta(days=7 - step.started_on.weekday())
        days = [first + dt.timedelta(days=n) for n in range((TODAY - first).days)]
        self.assertEqual(len(since), sum(1 for day in days if day.weekday() < 5))

    def test_ruben_is_stuck_on_a_named_deal_and_maya_has_the_notification(self):
        problem = Problem.objects.get()
        self.assertEqual((problem.rep.name, problem.manager), ("Ruben Rep", self.maya))
        self.assertTrue(problem.deal.name)
        note = Notification.objects.get(kind=NotificationKind.PROBLEM_RAISED)
        self.assertEqual((note.recipient, note.read_at), (self.maya, None))


def models_created_on():
    from django.db.models import F

    return F("created_on")
