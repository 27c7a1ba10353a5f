"""Reminders by e-mail: planned once for the right person, sent over real SMTP."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from followthrough.assessments.models import Review, ReviewStatus
from followthrough.coaching.models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingKind,
    Problem,
    SelfReport,
)
from followthrough.notify import reminders, tasks
from followthrough.notify.models import Delivery, Kind, Preference, Status
from followthrough.people.models import Role
from followthrough.programs.models import (
    Enrolment,
    Milestone,
    MilestoneCompletion,
    MilestoneKind,
    Program,
)
from tests.cast import BaseTestCase, make_person

TODAY = dt.date(2026, 12, 8)
TOMORROW = TODAY + dt.timedelta(days=1)
SITE = settings.SITE_URL
ZONE = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE)


class ReminderTestCase(BaseTestCase):
    """One of each due thing, each with a near miss that must not be reminded."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.org
        org.timezone = "Europe/Amsterdam"
        org.save()

        def meeting(rep, manager, when, kind=MeetingKind.ONE_ON_ONE):
            return Meeting.objects.create(
                organisation=org, rep=rep, manager=manager, scheduled_at=when, kind=kind
            )

        # 00:30 in Amsterdam is still the day before in UTC: tomorrow is the org's day.
        cls.meeting = meeting(cls.rep, cls.manager, at(TOMORROW, 0, 30))
        meeting(cls.other_rep, cls.other_manager, at(TOMORROW + dt.timedelta(days=1), 10))
        AgendaItem.objects.create(
            organisation=org, meeting=cls.meeting, added_by=cls.rep, text="Pricing for Initech"
        )

        def report(rep, due_on, submitted=None):
            return SelfReport.objects.create(
                organisation=org,
                rep=rep,
                period_start=due_on - dt.timedelta(days=7),
                period_end=due_on - dt.timedelta(days=1),
                due_on=due_on,
                submitted_at=submitted,
            )

        cls.report = report(cls.rep, TODAY)
        report(cls.rep2, TOMORROW, submitted=at(TODAY, 9))

        def commitment(owner, due_on, status=CommitmentStatus.OPEN, text="Call back"):
            return Commitment.objects.create(
                organisation=org,
                owner=owner,
                text=text,
                created_on=due_on - dt.timedelta(days=14),
                due_on=due_on,
                status=status,
            )

        cls.due_tomorrow = commitment(cls.rep, TOMORROW, text="Send the Initech proposal")
        cls.overdue = commitment(cls.rep2, TODAY - dt.timedelta(days=3))
        commitment(cls.rep, TODAY - dt.timedelta(days=3), status=CommitmentStatus.DONE)
        commitment(cls.rep2, TOMORROW + dt.timedelta(days=1))

        def review(rep, manager, period_end, status=ReviewStatus.DRAFT):
            return Review.objects.create(
                organisation=org,
                rep=rep,
                manager=manager,
                period_start=period_end - dt.timedelta(days=90),
                period_end=period_end,
                status=status,
            )

        cls.review = review(cls.rep, cls.manager, TOMORROW)
        review(cls.other_rep, cls.other_manager, TODAY, status=ReviewStatus.SHARED)

        program = Program.objects.create(organisation=org, name="Onboarding")
        cls.milestone = Milestone.objects.create(
            organisation=org,
            program=program,
            name="First demo",
            kind=MilestoneKind.TRAINING,
            due_day=30,
        )
        done = Milestone.objects.create(
            organisation=org,
            program=program,
            name="CRM training",
            kind=MilestoneKind.TRAINING,
            due_day=30,
        )
        cls.enrolment = Enrolment.objects.create(
            organisation=org, person=cls.rep, program=program, start=TOMORROW - dt.timedelta(30)
        )
        MilestoneCompletion.objects.create(
            organisation=org, enrolment=cls.enrolment, milestone=done, done_on=TODAY
        )
        Enrolment.objects.create(
            organisation=org, person=cls.rep2, program=program, start=TODAY - dt.timedelta(30)
        )

        cls.problem = Problem.objects.create(
            organisation=org,
            rep=cls.rep2,
            manager=cls.manager,
            text="Legal blocks the deal",
            raised_at=at(TODAY, 8),
        )
        Problem.objects.create(
            organisation=org,
            rep=cls.other_rep,
            manager=cls.other_manager,
            text="Old",
            raised_at=at(TODAY - dt.timedelta(days=5), 8),
        )

    def planned(self) -> set[tuple[int, str, str]]:
        return set(
            Delivery.objects.filter(organisation=self.org).values_list("person_id", "kind", "key")
        )


class PlanningTests(ReminderTestCase):
    def test_each_reminder_is_planned_for_the_right_people_exactly_once(self):
        m, c = self.meeting.pk, self.due_tomorrow
        expected = {
            (self.rep.pk, Kind.MEETING_TOMORROW, f"meeting_tomorrow:{m}"),
            (self.manager.pk, Kind.MEETING_TOMORROW, f"meeting_tomorrow:{m}"),
            (self.rep.pk, Kind.SELF_REPORT_DUE, f"self_report_due:{self.report.pk}:{TODAY}"),
            (self.rep.pk, Kind.COMMITMENT_DUE, f"commitment_due:{c.pk}:{TOMORROW}"),
            (
                self.rep2.pk,
                Kind.COMMITMENT_DUE,
                f"commitment_overdue:{self.overdue.pk}:{self.overdue.due_on}",
            ),
            (self.manager.pk, Kind.REVIEW_DUE, f"review_due:{self.review.pk}:{TOMORROW}"),
            (
                self.rep.pk,
                Kind.MILESTONE_DUE,
                f"milestone_due:{self.enrolment.pk}:{self.milestone.pk}",
            ),
            (self.manager.pk, Kind.STUCK, f"stuck:{self.problem.pk}"),
        }
        self.assertEqual(reminders.plan_reminders(self.org, TODAY), len(expected))
        self.assertEqual(self.planned(), expected)

    def test_planning_again_adds_nothing(self):
        reminders.plan_reminders(self.org, TODAY)
        self.assertEqual(reminders.plan_reminders(self.org, TODAY), 0)

    def test_an_overdue_commitment_is_reminded_once_not_daily(self):
        reminders.plan_reminders(self.org, TODAY)
        later = TODAY + dt.timedelta(days=1)
        reminders.plan_reminders(self.org, later)
        overdue = Delivery.objects.filter(key__startswith=f"commitment_overdue:{self.overdue.pk}:")
        self.assertEqual(overdue.count(), 1)

    def test_a_commitment_overdue_for_longer_than_a_week_gets_no_reminder(self):
        def commitment(days: int) -> Commitment:
            due_on = TODAY - dt.timedelta(days=days)
            return Commitment.objects.create(
                organisation=self.org,
                owner=self.rep2,
                text=f"{days} days late",
                created_on=due_on - dt.timedelta(days=14),
                due_on=due_on,
            )

        old, edge = commitment(reminders.OVERDUE_DAYS + 1), commitment(reminders.OVERDUE_DAYS)
        reminders.plan_reminders(self.org, TODAY)
        keys = set(Delivery.objects.values_list("key", flat=True))
        self.assertNotIn(f"commitment_overdue:{old.pk}:{old.due_on}", keys)
        self.assertIn(f"commitment_overdue:{edge.pk}:{edge.due_on}", keys)

    def test_a_self_report_due_tomorrow_then_today_is_reminded_once(self):
        report = SelfReport.objects.create(
            organisation=self.org,
            rep=self.rep2,
            period_start=TODAY,
            period_end=TODAY + dt.timedelta(days=6),
            due_on=TOMORROW + dt.timedelta(days=1),
        )
        reminders.plan_reminders(self.org, TOMORROW)
        reminders.plan_reminders(self.org, TOMORROW + dt.timedelta(days=1))
        self.assertEqual(Delivery.objects.filter(key__contains=f":{report.pk}:").count(), 1)

    def test_unsubscribed_and_inactive_people_get_none(self):
        Preference.objects.create(organisation=self.org, person=self.manager, reminders=False)
        self.rep.is_active = False
        self.rep.save()
        reminders.plan_reminders(self.org, TODAY)
        self.assertEqual({pk for pk, _k, _key in self.planned()}, {self.rep2.pk})

    def test_someone_without_a_login_gets_none(self):
        self.manager.user.is_active = False
        self.manager.user.save()
        reminders.plan_reminders(self.org, TODAY)
        self.assertNotIn(self.manager.pk, {pk for pk, _k, _key in self.planned()})

    def test_the_digest_choice_does_not_stop_reminders(self):
        Preference.objects.create(organisation=self.org, person=self.manager, digest=False)
        reminders.plan_reminders(self.org, TODAY)
        self.assertIn(self.manager.pk, {pk for pk, _k, _key in self.planned()})

    def test_a_rep_never_gets_a_reminder_about_someone_elses_item(self):
        reminders.plan_reminders(self.org, TODAY)
        self.assertEqual(Delivery.objects.filter(person=self.other_rep).count(), 0)
        self.assertEqual(Delivery.objects.filter(person=self.other_manager).count(), 0)
        rep2_keys = set(Delivery.objects.filter(person=self.rep2).values_list("key", flat=True))
        self.assertEqual(rep2_keys, {f"commitment_overdue:{self.overdue.pk}:{self.overdue.due_on}"})

    def test_the_number_of_queries_does_not_grow_with_the_people(self):
        with CaptureQueriesContext(connection) as few:
            reminders.plan_reminders(self.org, TODAY)
        for n in range(5):
            rep = make_person(self.org, f"Extra{n}", Role.REP)
            Commitment.objects.create(
                organisation=self.org, owner=rep, text="x", created_on=TODAY, due_on=TOMORROW
            )
            Meeting.objects.create(
                organisation=self.org, rep=rep, manager=self.manager, scheduled_at=at(TOMORROW, 9)
            )
        Delivery.objects.all().delete()
        with CaptureQueriesContext(connection) as many:
            added = reminders.plan_reminders(self.org, TODAY)
        self.assertGreater(added, 8)
        self.assertEqual(len(many), len(few))


class RenderingTests(ReminderTestCase):
    def render(self, person, key_start):
        reminders.plan_reminders(self.org, TODAY)
        row = Delivery.objects.get(person=person, key__startswith=key_start)
        return reminders.render_reminder(row)

    def test_the_one_on_one_reminder_shows_the_agenda_and_open_commitments(self):
        message = self.render(self.manager, "meeting_tomorrow:")
        self.assertEqual(message.subject, "Your 1:1 with Rita tomorrow")
        self.assertIn("Pricing for Initech", message.text)
        self.assertIn("Send the Initech proposal", message.text)
        self.assertIn(f"{SITE}/one-on-ones/{self.meeting.pk}/", message.text)
        self.assertIn("Pricing for Initech", message.html)

    def test_times_are_shown_in_the_recipients_time_zone(self):
        Preference.objects.create(organisation=self.org, person=self.rep, timezone="UTC")
        self.assertIn("8 Dec 2026, 23:30", self.render(self.rep, "meeting_tomorrow:").text)
        self.assertIn("9 Dec 2026, 00:30", self.render(self.manager, "meeting_tomorrow:").text)

    def test_a_dutch_recipient_reads_dates_the_dutch_way(self):
        Preference.objects.create(organisation=self.org, person=self.rep, language="nl")
        message = self.render(self.rep, "commitment_due:")
        self.assertIn("9 december 2026", message.text)
        self.assertNotIn("9 Dec 2026", message.text)

    def test_a_reminder_about_something_done_since_is_skipped(self):
        reminders.plan_reminders(self.org, TODAY)
        Commitment.objects.filter(pk=self.due_tomorrow.pk).update(status=CommitmentStatus.DONE)
        row = Delivery.objects.get(key__startswith="commitment_due:")
        self.assertIsNone(reminders.render_reminder(row))

    def test_someone_unsubscribed_after_planning_gets_nothing(self):
        reminders.plan_reminders(self.org, TODAY)
        Preference.objects.create(organisation=self.org, person=self.manager, reminders=False)
        row = Delivery.objects.get(person=self.manager, kind=Kind.STUCK)
        self.assertIsNone(reminders.render_reminder(row))

    def test_every_kind_renders_with_a_link(self):
        reminders.plan_reminders(self.org, TODAY)
        for row in Delivery.objects.all():
            message = reminders.render_reminder(row)
            self.assertIsNotNone(message, row.key)
            self.assertIn(SITE + "/", message.text)


@pytest.mark.usefixtures("smtp_server")
class SendingOverSmtpTests(ReminderTestCase):
    def test_the_reminder_arrives_with_its_link_and_one_click_unsubscribe(self):
        reminders.plan_reminders(self.org, TODAY)
        counts = reminders.send_reminders(self.org)
        self.assertEqual(counts["sent"], 8)

        received = self.mailbox.to(self.rep.email)
        by_subject = {m["Subject"]: m for m in received}
        message = by_subject["A commitment is due tomorrow"]
        self.assertEqual(message["To"], "rita@acme.test")
        text = message.get_body(("plain",)).get_content()
        self.assertIn("Send the Initech proposal", text)
        self.assertIn(SITE + "/commitments/", text)
        self.assertIn("Send the Initech proposal", message.get_body(("html",)).get_content())
        # A long header is folded: the value starts after the fold.
        self.assertRegex(message["List-Unsubscribe"].strip(), r"^<" + re.escape(SITE) + r"/.+>$")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")

        # Every planned reminder was sent once; sending again sends nothing.
        self.assertEqual(Delivery.objects.filter(status=Status.SENT).count(), 8)
        self.assertEqual(
            reminders.send_reminders(self.org),
            {"sent": 0, "skipped": 0, "retry": 0, "failed": 0, "taken": 0},
        )
        self.assertEqual(len(self.mailbox.messages), 8)

    def test_the_unsubscribe_link_turns_reminders_off(self):
        reminders.plan_reminders(self.org, TODAY)
        reminders.send_reminders(self.org)
        message = self.mailbox.to(self.manager.email)[0]
        url = message["List-Unsubscribe"].strip().strip("<>").removeprefix(SITE)
        response = self.client.post(url, {"List-Unsubscribe": "One-Click"})
        self.assertLess(response.status_code, 400)
        self.assertFalse(Preference.objects.get(person=self.manager).reminders)
        self.assertTrue(Preference.objects.get(person=self.manager).digest)


class ScheduleTests(ReminderTestCase):
    def test_reminders_wait_for_the_morning_in_the_organisations_time_zone(self):
        # 06:30 UTC is 07:30 in Amsterdam in winter.
        self.assertTrue(
            tasks.reminders_due(self.org, dt.datetime(2026, 12, 8, 6, 30, tzinfo=dt.UTC))
        )
        self.assertFalse(
            tasks.reminders_due(self.org, dt.datetime(2026, 12, 8, 5, 30, tzinfo=dt.UTC))
        )

    def test_the_job_plans_and_sends_today_s_reminders(self):
        Problem.objects.create(
            organisation=self.org,
            rep=self.rep,
            manager=self.manager,
            text="Stuck right now",
            raised_at=timezone.now(),
        )
        with self.settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            tasks.send_reminders.call_local(self.org.pk)
            tasks.send_reminders.call_local(self.org.pk)
        sent = [m for m in mail.outbox if m.subject == "Rita is stuck"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0].to, [self.manager.email])
