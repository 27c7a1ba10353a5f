"""A week of the schedule on the demo: the quarter-hourly jobs run Monday to Sunday
(run by tests/notify/test_on_demo.py on one demo)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from unittest import mock

from followthrough.coaching.models import Meeting, MeetingKind, MeetingStatus
from followthrough.notify import digests, tasks, weekly
from followthrough.notify.models import Delivery, Kind, Preference, Status


class ScheduleChecks:
    def run_week(self) -> None:
        zone = zoneinfo.ZoneInfo(self.org.timezone)
        for offset in range(7):
            day = self.week.start + dt.timedelta(days=offset)
            # Before 07:00 nothing goes out; later ticks of the day add nothing new.
            for hour in (5, 8, 12, 17):
                now = dt.datetime.combine(day, dt.time(hour), tzinfo=zone)
                with mock.patch("django.utils.timezone.now", return_value=now):
                    tasks.tick.call_local()
                    tasks.remind.call_local()

    def test_a_week_of_schedules_sends_each_digest_once_and_each_reminder_once(self):
        self.start_receiver()  # Benelux's chat channel (chat_checks.py)
        self.run_week()
        [(_path, _kind, payload)] = self.server.received
        self.assertIn("*Benelux*", payload["text"])
        people = {p.pk: p for p in digests.recipients(self.org)}
        sent = Delivery.objects.filter(organisation=self.org, status=Status.SENT)
        week_digests = sent.filter(
            kind=Kind.DIGEST, key=weekly.digest_key(self.week), person__isnull=False
        )
        self.assertEqual(sorted(week_digests.values_list("person_id", flat=True)), sorted(people))
        reminders = sent.exclude(kind=Kind.DIGEST)
        self.assertGreater(reminders.count(), 0)
        # Every message arrived once: the mailbox holds exactly the ledger's sent rows.
        arrived = Counter(
            (rcpt[0], m["Subject"], m.get_body(("plain",)).get_content())
            for _s, rcpt, m in self.mailbox.messages
        )
        self.assertEqual(sum(arrived.values()), week_digests.count() + reminders.count())
        self.assertEqual(set(arrived.values()), {1})

        # Each 1:1 scheduled from Tuesday on was announced the day before, to both (but
        # Lotte, who turned reminders off).
        quiet = set(
            Preference.objects.filter(organisation=self.org, reminders=False).values_list(
                "person_id", flat=True
            )
        )
        meetings = Meeting.objects.filter(
            organisation=self.org,
            kind=MeetingKind.ONE_ON_ONE,
            status=MeetingStatus.SCHEDULED,
            scheduled_at__date__gt=self.week.start,
            scheduled_at__date__lte=self.week.end,
        )
        self.assertTrue(meetings.exists())
        for meeting in meetings:
            to = set(
                reminders.filter(key=f"meeting_tomorrow:{meeting.pk}").values_list(
                    "person_id", flat=True
                )
            )
            self.assertEqual(to, {meeting.rep_id, meeting.manager_id} - quiet)

        # Each person in their own language; Lotte turned reminders off.
        by_name = {p.name: p for p in people.values()}
        self.assertFalse(reminders.filter(person=by_name["Lotte Bakker"]).exists())
        subjects = dict(week_digests.values_list("person__email", "subject"))
        self.assertTrue(subjects[by_name["Sara Visser"].email].startswith("Je komende week"))
        self.assertTrue(subjects[by_name["Jonas Weber"].email].startswith("你的新一周"))
        self.assertTrue(subjects[by_name["Ruben Rep"].email].startswith("Your week ahead"))
