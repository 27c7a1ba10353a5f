"""The private calendar feed: RFC 5545 (parsed with icalendar), secret, revocable, up to date."""

from __future__ import annotations

import datetime as dt

import icalendar
import time_machine
from django.urls import reverse

from followthrough.coaching import feeds
from followthrough.coaching.models import CalendarFeed, Commitment, Meeting, MeetingKind
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

NOW = dt.datetime(2025, 3, 12, 9, tzinfo=dt.UTC)  # a Wednesday


@time_machine.travel(NOW, tick=False)
class CalendarFeedTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org = cls.org

        def meeting(rep, when, manager=None, **extra):
            return Meeting.objects.create(
                organisation=org,
                manager=manager or cls.manager,
                rep=rep,
                scheduled_at=when,
                **extra,
            )

        cls.next_one = meeting(cls.rep, dt.datetime(2025, 3, 17, 9, tzinfo=dt.UTC))
        cls.held = meeting(cls.rep, dt.datetime(2025, 3, 10, 9, tzinfo=dt.UTC), status="held")
        cls.moved = meeting(cls.rep, dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC), status="moved")
        cls.long_ago = meeting(cls.rep, dt.datetime(2024, 6, 3, 9, tzinfo=dt.UTC), status="held")
        big = deal(org, cls.rep, created=dt.date(2025, 2, 1), name="Initech, renewal; 2025")
        cls.review = meeting(
            cls.rep,
            dt.datetime(2025, 3, 19, 14, tzinfo=dt.UTC),
            kind=MeetingKind.DEAL_REVIEW,
            deal=big,
        )
        cls.robs = meeting(cls.rep2, dt.datetime(2025, 3, 18, 9, tzinfo=dt.UTC))
        cls.ottos = meeting(
            cls.other_rep, dt.datetime(2025, 3, 18, 9, tzinfo=dt.UTC), cls.other_manager
        )
        cls.commitment = Commitment.objects.create(
            organisation=org,
            owner=cls.rep,
            text="Call back the three stalled accounts, with a plan for each",
            created_on=dt.date(2025, 3, 10),
            due_on=dt.date(2025, 3, 21),
        )
        Commitment.objects.create(
            organisation=org,
            owner=cls.rep2,
            text="Rob's own commitment",
            created_on=dt.date(2025, 3, 10),
            due_on=dt.date(2025, 3, 21),
        )

    def feed_url(self, person) -> str:
        feed = feeds.regenerate(person)
        return reverse("calendar_feed", args=[feed.token])

    def calendar(self, url) -> icalendar.Calendar:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/calendar"))
        self.assertIn(b"\r\n", response.content)
        return icalendar.Calendar.from_ical(response.content)

    def events(self, url) -> dict[str, icalendar.Event]:
        return {str(e["UID"]): e for e in self.calendar(url).walk("VEVENT")}

    def test_the_feed_parses_as_rfc_5545_with_the_reps_meetings_and_due_dates(self):
        calendar = self.calendar(self.feed_url(self.rep))
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        self.assertTrue(str(calendar["PRODID"]))
        events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        uid = f"meeting-{self.next_one.pk}@acme.followthrough"
        self.assertEqual(events[uid]["DTSTART"].dt, dt.datetime(2025, 3, 17, 9, tzinfo=dt.UTC))
        self.assertEqual(events[uid]["DTEND"].dt, dt.datetime(2025, 3, 17, 9, 30, tzinfo=dt.UTC))
        self.assertEqual(str(events[uid]["SUMMARY"]), "1:1 with Maya")
        self.assertEqual(str(events[uid]["STATUS"]), "CONFIRMED")
        for event in events.values():
            self.assertIn("DTSTAMP", event)
        review = events[f"meeting-{self.review.pk}@acme.followthrough"]
        # Commas and semicolons are escaped in the file and read back as written.
        self.assertEqual(str(review["SUMMARY"]), "Deal review with Maya: Initech, renewal; 2025")
        due = events[f"commitment-{self.commitment.pk}@acme.followthrough"]
        self.assertEqual(due["DTSTART"].dt, dt.date(2025, 3, 21))
        self.assertEqual(due["DTEND"].dt, dt.date(2025, 3, 22))
        self.assertIn("Call back the three stalled accounts", str(due["SUMMARY"]))
        # Weekly self-reports (the default interval) are due on Fridays.
        reports = sorted(e["DTSTART"].dt for u, e in events.items() if u.startswith("self-report"))
        self.assertEqual(
            reports,
            [dt.date(2025, 3, 14), dt.date(2025, 3, 21), dt.date(2025, 3, 28), dt.date(2025, 4, 4)],
        )

    def test_moved_meetings_are_cancelled_and_old_ones_left_out(self):
        events = self.events(self.feed_url(self.rep))
        self.assertEqual(
            str(events[f"meeting-{self.moved.pk}@acme.followthrough"]["STATUS"]), "CANCELLED"
        )
        self.assertNotIn(f"meeting-{self.long_ago.pk}@acme.followthrough", events)
        self.assertIn(f"meeting-{self.held.pk}@acme.followthrough", events)

    def test_the_feed_holds_no_other_persons_data(self):
        events = self.events(self.feed_url(self.rep))
        uids = set(events)
        self.assertNotIn(f"meeting-{self.robs.pk}@acme.followthrough", uids)
        self.assertNotIn(f"meeting-{self.ottos.pk}@acme.followthrough", uids)
        self.assertFalse(any("Rob" in str(e["SUMMARY"]) for e in events.values()))

    def test_a_managers_feed_has_their_1_1s_with_each_rep_and_no_self_report_dates(self):
        events = self.events(self.feed_url(self.manager))
        summaries = {str(e["SUMMARY"]) for e in events.values()}
        self.assertIn("1:1 with Rita", summaries)
        self.assertIn("1:1 with Rob", summaries)
        self.assertFalse(any(uid.startswith("self-report") for uid in events))
        self.assertNotIn(f"meeting-{self.ottos.pk}@acme.followthrough", events)

    def test_a_moved_meeting_keeps_its_uid_with_a_new_time_and_a_higher_sequence(self):
        url = self.feed_url(self.rep)
        uid = f"meeting-{self.next_one.pk}@acme.followthrough"
        before = self.events(url)[uid]
        with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
            self.next_one.scheduled_at = dt.datetime(2025, 3, 18, 15, tzinfo=dt.UTC)
            self.next_one.save()
            after = self.events(url)[uid]
        self.assertEqual(after["DTSTART"].dt, dt.datetime(2025, 3, 18, 15, tzinfo=dt.UTC))
        self.assertGreater(int(after["SEQUENCE"]), int(before["SEQUENCE"]))

    def test_a_revoked_or_unknown_token_is_not_found(self):
        url = self.feed_url(self.rep)
        feeds.revoke(self.rep)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get(reverse("calendar_feed", args=["nope"])).status_code, 404)

    def test_a_new_address_replaces_the_old_one(self):
        old = self.feed_url(self.rep)
        new = self.feed_url(self.rep)
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)
        self.assertEqual(CalendarFeed.objects.filter(person=self.rep).count(), 1)

    def test_an_inactive_persons_feed_stops(self):
        url = self.feed_url(self.rep)
        self.rep.is_active = False
        self.rep.save()
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_long_lines_are_folded_at_75_octets(self):
        self.commitment.text = "Réunion très importante " * 10
        self.commitment.save()
        response = self.client.get(self.feed_url(self.rep))
        for line in response.content.split(b"\r\n"):
            self.assertLessEqual(len(line), 75)
        calendar = icalendar.Calendar.from_ical(response.content)
        texts = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
        self.assertIn("Due: " + self.commitment.text, texts)


@time_machine.travel(NOW, tick=False)
class CalendarPageTests(BaseTestCase):
    def test_a_person_makes_regenerates_and_revokes_their_own_address(self):
        self.login(self.rep)
        response = self.client.get(reverse("calendar"))
        self.assertContains(response, "Make my calendar address")
        self.client.post(reverse("calendar"), {"action": "regenerate"})
        feed = CalendarFeed.objects.get(person=self.rep)
        response = self.client.get(reverse("calendar"))
        self.assertContains(response, reverse("calendar_feed", args=[feed.token]))
        self.client.post(reverse("calendar"), {"action": "regenerate"})
        self.assertNotEqual(CalendarFeed.objects.get(person=self.rep).token, feed.token)
        self.client.post(reverse("calendar"), {"action": "revoke"})
        self.assertFalse(CalendarFeed.objects.filter(person=self.rep).exists())

    def test_the_page_is_only_ever_about_the_visitor(self):
        other = feeds.regenerate(self.rep2)
        for viewer in (self.rep, self.manager, self.leader, self.admin, self.outsider):
            self.login(viewer)
            response = self.client.get(reverse("calendar"))
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, other.token)

    def test_an_unknown_action_changes_nothing_and_says_so(self):
        self.login(self.rep)
        response = self.client.post(reverse("calendar"), {"action": "explode"}, follow=True)
        self.assertContains(response, "Choose what to do")
        self.assertFalse(CalendarFeed.objects.filter(person=self.rep).exists())

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.assertEqual(self.client.get(reverse("calendar")).status_code, 302)
