"""The whole organisation's run: the page (admins), its progress, the command line, the
nightly job, a run left by a dead worker, and a query count that does not grow with people."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from followthrough.diagnostics import diagnose, tasks
from followthrough.diagnostics.models import HygieneScore, Run, RunStatus
from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import START, BaseTestCase, CastMixin, make_person
from tests.metrics.helpers import activity, deal

TODAY = dt.date(2024, 6, 14)


def some_sales(org, rep, n: int) -> None:
    """A little history: cold calls every month, deals created and won, one open deal left stale."""
    for month in range(1, 6):
        for day in range(1, 1 + n):
            activity(org, rep, dt.date(2024, month, day), "call", is_cold=True)
        deal(
            org,
            rep,
            created=dt.date(2024, month, 2),
            closed=dt.date(2024, month, 20),
            outcome="won",
            amount=1000,
        )
    deal(
        org, rep, created=dt.date(2024, 3, 1), closed=dt.date(2024, 5, 1), amount=500
    )  # open, past due


class RunTest(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for rep in (cls.rep, cls.rep2, cls.other_rep):
            some_sales(cls.org, rep, 3)

    def test_a_run_covers_every_rep_and_writes_the_days_hygiene_scores(self):
        run = diagnose.run_now(self.org, TODAY)
        self.assertEqual(run.status, RunStatus.DONE)
        self.assertEqual(run.done, run.total)
        self.assertEqual(run.summary["people"], 3)  # Rita, Rob, Olga: the active reps
        self.assertEqual(run.summary["month"], "2024-05")  # the last complete month
        scores = HygieneScore.objects.filter(organisation=self.org, day=TODAY)
        self.assertEqual(scores.count(), 3)
        rita = scores.get(person=self.rep)
        # One open deal, its close date (1 May) passed: not clean.
        self.assertEqual((rita.open_deals, rita.clean_deals), (1, 0))
        # Nothing of the other organisation.
        self.assertFalse(HygieneScore.objects.filter(person=self.outsider_rep).exists())

    def test_a_second_run_the_same_day_replaces_the_days_scores(self):
        diagnose.run_now(self.org, TODAY)
        diagnose.run_now(self.org, TODAY)
        self.assertEqual(HygieneScore.objects.filter(organisation=self.org, day=TODAY).count(), 3)

    def test_the_query_count_does_not_grow_with_the_number_of_people(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                diagnose.run_now(self.org, TODAY)
            return len(captured.captured_queries)

        before = queries()
        team = self.team
        for name in ("Ria", "Ron", "Rex"):
            rep = make_person(self.org, name, Role.REP)
            move(rep, manager=self.manager, team=team, on=START)
            some_sales(self.org, rep, 2)
        self.assertEqual(queries(), before)


class RunOutsideATransactionTest(CastMixin, TransactionTestCase):
    """As the worker runs it: no transaction around it, so on PostgreSQL hygiene and
    integrity read on a thread of their own while the three rights are assessed."""

    def setUp(self):
        self.build_cast()
        for rep in (self.rep, self.rep2, self.other_rep):
            some_sales(self.org, rep, 3)

    def test_the_halves_agree_with_a_run_inside_a_transaction(self):
        self.assertEqual(
            diagnose._can_share(connection),
            connection.vendor != "sqlite" or not connection.is_in_memory_db(),
        )
        apart = diagnose.run_now(self.org, TODAY).summary
        with transaction.atomic():
            self.assertFalse(diagnose._can_share(connection))
            together = diagnose.run_now(self.org, TODAY).summary
        apart.pop("seconds"), together.pop("seconds")
        self.assertEqual(apart, together)
        self.assertEqual(apart["people"], 3)
        self.assertEqual(apart["people_with_hygiene_issues"], 3)  # each has a past-due deal
        self.assertEqual(HygieneScore.objects.filter(organisation=self.org, day=TODAY).count(), 3)


class RunPageTest(BaseTestCase):
    def test_only_admins_open_the_runs_page(self):
        for person in (self.rep, self.manager, self.leader):
            self.login(person)
            self.assertEqual(self.client.get(reverse("diagnostics_runs")).status_code, 403)
            self.assertEqual(self.client.post(reverse("diagnostics_runs")).status_code, 403)
        self.login(self.admin)
        self.assertEqual(self.client.get(reverse("diagnostics_runs")).status_code, 200)

    def test_run_now_queues_a_run_that_a_worker_performs(self):
        self.login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("diagnostics_runs"))
        self.assertEqual(response.status_code, 302)
        run = Run.objects.get(organisation=self.org)
        self.assertEqual(run.status, RunStatus.DONE)  # Huey runs tasks at once in the tests
        self.assertEqual(run.requested_by, self.admin)
        page = self.client.get(reverse("diagnostics_runs")).content.decode()
        self.assertIn("Done", page)
        status = self.client.get(reverse("diagnostics_run_status", args=[run.pk]))
        self.assertContains(status, "Done")

    def test_another_organisations_run_is_not_found(self):
        theirs = Run.objects.create(organisation=self.other_org, day=TODAY)
        self.login(self.admin)
        response = self.client.get(reverse("diagnostics_run_status", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)

    def test_a_run_left_by_a_dead_worker_is_marked_failed(self):
        run = Run.objects.create(
            organisation=self.org,
            day=TODAY,
            status=RunStatus.RUNNING,
            started_at=timezone.now() - dt.timedelta(hours=2),
        )
        self.login(self.admin)
        self.client.get(reverse("diagnostics_runs"))
        run.refresh_from_db()
        self.assertEqual(run.status, RunStatus.FAILED)
        self.assertIn("worker stopped", run.error)


class CommandAndScheduleTest(BaseTestCase):
    def test_the_command_prints_progress_and_what_it_found(self):
        some_sales(self.org, self.rep, 2)
        out, err = io.StringIO(), io.StringIO()
        call_command("diagnose", organisation="acme", day=TODAY, stdout=out, stderr=err)
        self.assertIn("acme: diagnosis: 100%", err.getvalue())
        self.assertIn("acme: 3 reps as of 2024-06-14", out.getvalue())
        self.assertIn("hygiene issues", out.getvalue())

    def test_the_nightly_job_runs_each_organisation_once_a_day(self):
        tasks.nightly.call_local()
        tasks.nightly.call_local()
        self.assertEqual(Run.objects.filter(organisation=self.org).count(), 1)
        self.assertEqual(Run.objects.filter(organisation=self.other_org).count(), 1)
