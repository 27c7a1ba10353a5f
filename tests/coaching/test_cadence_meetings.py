"""Cadences: the days they meet, the schedule made from them, changing them; moving and ending."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase

from followthrough.coaching.cadence import (
    at,
    end_meeting,
    move_meeting,
    schedule_meetings,
    set_cadence,
    slot_days,
)
from followthrough.coaching.models import (
    AgendaItem,
    Cadence,
    Frequency,
    Meeting,
    MeetingStatus,
    MissedBy,
)
from tests.coaching.meetings_base import MeetingTestCase

MONDAY, TUESDAY = 0, 1


class SlotDayTests(SimpleTestCase):
    def test_a_weekly_cadence_meets_every_week_on_its_weekday(self):
        days = list(slot_days(Frequency.WEEKLY, TUESDAY, dt.date(2026, 3, 4), dt.date(2026, 3, 31)))
        self.assertEqual([d.day for d in days], [10, 17, 24, 31])

    def test_a_fortnightly_cadence_meets_every_other_week(self):
        days = list(
            slot_days(Frequency.FORTNIGHTLY, MONDAY, dt.date(2026, 3, 2), dt.date(2026, 4, 13))
        )
        self.assertEqual(
            days,
            [dt.date(2026, 3, 2), dt.date(2026, 3, 16), dt.date(2026, 3, 30), dt.date(2026, 4, 13)],
        )

    def test_a_monthly_cadence_meets_on_the_first_such_weekday_of_each_month(self):
        # The first Tuesdays: 3 March, 7 April, 5 May 2026.
        days = list(
            slot_days(Frequency.MONTHLY, TUESDAY, dt.date(2026, 3, 1), dt.date(2026, 5, 31))
        )
        self.assertEqual(days, [dt.date(2026, 3, 3), dt.date(2026, 4, 7), dt.date(2026, 5, 5)])

    def test_a_monthly_cadence_started_after_the_first_tuesday_waits_for_the_next_month(self):
        days = list(
            slot_days(Frequency.MONTHLY, TUESDAY, dt.date(2026, 3, 4), dt.date(2026, 4, 30))
        )
        self.assertEqual(days, [dt.date(2026, 4, 7)])


class SetCadenceTests(MeetingTestCase):
    def cadence(self, who=None, today=None, **changes):
        fields = {"frequency": Frequency.WEEKLY, "weekday": MONDAY, "time": dt.time(9, 30)}
        fields.update(changes)
        return set_cadence(who or self.manager, self.rep, today=today or self.today, **fields)

    def expected_mondays(self) -> int:
        """Mondays at 9:30 of the next eight weeks that are still ahead (today's may have passed)."""
        days = slot_days(Frequency.WEEKLY, MONDAY, self.today, self.today + dt.timedelta(days=55))
        return sum(at(self.org, day, dt.time(9, 30)) >= self.now() for day in days)

    def test_the_manager_sets_a_weekly_cadence_and_eight_weeks_are_scheduled(self):
        cadence = self.cadence()
        self.assertEqual((cadence.manager, cadence.rep), (self.manager, self.rep))
        meetings = Meeting.objects.filter(cadence=cadence).order_by("scheduled_at")
        self.assertIn(meetings.count(), (7, 8))
        self.assertEqual(meetings.count(), self.expected_mondays())
        self.assertTrue(all(m.scheduled_at.weekday() == MONDAY for m in meetings))
        self.assertEqual(meetings[0].scheduled_at.time(), dt.time(9, 30))

    def test_scheduling_again_creates_nothing(self):
        cadence = self.cadence()
        made = Meeting.objects.filter(cadence=cadence).count()
        until = self.today + dt.timedelta(days=55)
        self.assertEqual(schedule_meetings(self.org, until, since=self.now()), 0)
        self.assertEqual(Meeting.objects.filter(cadence=cadence).count(), made)

    def test_scheduling_costs_three_queries_however_many_pairs(self):
        self.cadence()
        rob = set_cadence(
            self.manager,
            self.rep2,
            frequency=Frequency.MONTHLY,
            weekday=2,
            time=dt.time(14),
            today=self.today,
        )
        Meeting.objects.all().delete()
        with self.assertNumQueries(3):
            made = schedule_meetings(self.org, self.today + dt.timedelta(days=8 * 7))
        self.assertEqual(made, Meeting.objects.count())
        self.assertGreaterEqual(Meeting.objects.filter(cadence=rob).count(), 1)

    def test_a_leader_sets_it_for_the_pair_of_the_rep_and_their_manager(self):
        cadence = self.cadence(self.leader)
        self.assertEqual(cadence.manager, self.manager)

    def test_the_rep_a_peer_another_manager_and_the_outsider_may_not(self):
        for who in (self.rep, self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                self.cadence(who)
        self.assertFalse(Cadence.objects.exists())

    def test_changing_it_moves_the_future_meetings_with_what_was_added_to_them(self):
        old = self.cadence(today=self.today - dt.timedelta(days=14))
        first = Meeting.objects.filter(cadence=old).order_by("scheduled_at").first()
        AgendaItem.objects.create(
            organisation=self.org, meeting=first, added_by=self.rep, text="My pipeline"
        )
        new = self.cadence(weekday=TUESDAY, time=dt.time(16, 0))
        old.refresh_from_db()
        self.assertNotEqual(old.pk, new.pk)
        self.assertEqual(old.ends_on, self.today - dt.timedelta(days=1))
        self.assertEqual(new.starts_on, self.today)
        first.refresh_from_db()
        self.assertEqual(first.cadence, new)
        self.assertEqual(first.scheduled_at.weekday(), TUESDAY)
        self.assertEqual(first.scheduled_at.time(), dt.time(16, 0))
        self.assertEqual(first.items.get().text, "My pipeline")
        meetings = Meeting.objects.filter(rep=self.rep, cadence__isnull=False)
        self.assertTrue(all(m.scheduled_at.weekday() == TUESDAY for m in meetings))

    def test_a_cadence_changed_on_its_first_day_is_replaced(self):
        first = self.cadence()
        second = self.cadence(weekday=TUESDAY)
        self.assertEqual(list(Cadence.objects.all()), [second])
        self.assertFalse(Cadence.objects.filter(pk=first.pk).exists())

    def test_setting_the_same_cadence_again_changes_nothing(self):
        cadence = self.cadence()
        self.assertEqual(self.cadence().pk, cadence.pk)
        self.assertEqual(Cadence.objects.count(), 1)

    def test_a_held_meeting_keeps_its_day_when_the_cadence_changes(self):
        old = self.cadence(today=self.today - dt.timedelta(days=14))
        held = Meeting.objects.create(
            organisation=self.org,
            manager=self.manager,
            rep=self.rep,
            cadence=old,
            scheduled_at=at(self.org, self.today - dt.timedelta(days=7), dt.time(9, 30)),
            status=MeetingStatus.HELD,
        )
        self.cadence(weekday=TUESDAY)
        held.refresh_from_db()
        self.assertEqual((held.cadence, held.status), (old, MeetingStatus.HELD))


class MoveAndEndTests(MeetingTestCase):
    def test_moving_ends_the_meeting_as_moved_and_the_new_one_points_back(self):
        when = at(self.org, self.today + dt.timedelta(days=2), dt.time(11))
        moved = move_meeting(self.rep, self.meeting, when)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.MOVED)
        self.assertEqual((moved.moved_from, moved.scheduled_at), (self.meeting, when))
        self.assertEqual(moved.status, MeetingStatus.SCHEDULED)

    def test_moving_a_held_meeting_is_refused_with_a_reason(self):
        end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        with self.assertRaises(ValidationError) as caught:
            move_meeting(
                self.manager, self.meeting, self.meeting.scheduled_at + dt.timedelta(days=1)
            )
        self.assertIn("cannot be moved", caught.exception.message_dict["status"][0])

    def test_only_the_pair_moves_or_ends_it(self):
        for who in (self.rep2, self.leader, self.admin, self.other_manager, self.outsider):
            with self.subTest(who=who.name):
                with self.assertRaises(PermissionDenied):
                    move_meeting(
                        who, self.meeting, self.meeting.scheduled_at + dt.timedelta(days=1)
                    )
                with self.assertRaises(PermissionDenied):
                    end_meeting(who, self.meeting, MeetingStatus.HELD)

    def test_held_freezes_the_agenda(self):
        ended = end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        self.assertEqual(ended.status, MeetingStatus.HELD)
        self.assertIsNotNone(ended.ended_at)
        keys = [s["key"] for s in ended.agenda["sections"]]
        self.assertEqual(
            keys,
            [
                "kpis",
                "commitments",
                "focus_areas",
                "early_warnings",
                "self_report",
                "deals",
                "problems",
                "items",
            ],
        )

    def test_missed_needs_to_say_who_missed_it(self):
        with self.assertRaises(ValidationError) as caught:
            end_meeting(self.manager, self.meeting, MeetingStatus.MISSED)
        self.assertIn("missed_by", caught.exception.message_dict)
        ended = end_meeting(
            self.rep, self.meeting, MeetingStatus.MISSED, missed_by=MissedBy.MANAGER
        )
        self.assertEqual((ended.status, ended.missed_by), (MeetingStatus.MISSED, MissedBy.MANAGER))

    def test_a_meeting_ends_once(self):
        end_meeting(self.manager, self.meeting, MeetingStatus.MISSED, missed_by=MissedBy.REP)
        with self.assertRaises(ValidationError):
            end_meeting(self.manager, self.meeting, MeetingStatus.HELD)

    def test_a_meeting_of_next_week_is_not_held_yet(self):
        later = self.one_on_one(self.manager, self.rep, self.today + dt.timedelta(days=7))
        with self.assertRaises(ValidationError) as caught:
            end_meeting(self.manager, later, MeetingStatus.HELD)
        self.assertIn("status", caught.exception.message_dict)


class DailyScheduleTests(MeetingTestCase):
    def test_the_daily_job_keeps_eight_weeks_scheduled_and_adds_nothing_twice(self):
        from followthrough.coaching.cadence import keep_schedules

        cadence = set_cadence(
            self.manager, self.rep, frequency=Frequency.WEEKLY, weekday=MONDAY, time=dt.time(9)
        )
        Meeting.objects.filter(cadence=cadence).order_by("-scheduled_at").first().delete()
        self.assertEqual(keep_schedules(), 1)
        self.assertEqual(keep_schedules(), 0)
