"""The demo's 1:1s: a weekly cadence per pair, three months of history, managers who differ."""

from __future__ import annotations

from django.db.models import Count
from django.test import TestCase

from followthrough.coaching.models import (
    Cadence,
    CoachingSettings,
    Meeting,
    MeetingKind,
    MeetingNote,
    MeetingStatus,
    NoteKind,
    SteppedIn,
)
from followthrough.people.lines import lines_on, today_for
from followthrough.people.models import Person, Role


class DemoMeetingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from followthrough.demo.build import MIN_REPS, build_demo

        cls.org = build_demo(reps=MIN_REPS, months=2)
        cls.today = today_for(cls.org)
        cls.maya = Person.objects.get(name="Maya Manager")
        cls.otto = Person.objects.get(name="Otto Keller")

    def one_on_ones(self, manager):
        return Meeting.objects.filter(manager=manager, kind=MeetingKind.ONE_ON_ONE)

    def test_every_manager_rep_pair_meets_weekly(self):
        pairs = set(
            lines_on(self.org, self.today)
            .filter(manager__role=Role.MANAGER, person__role=Role.REP)
            .values_list("manager_id", "person_id")
        )
        cadences = set(
            Cadence.objects.filter(frequency="weekly").values_list("manager_id", "rep_id")
        )
        self.assertEqual(cadences, pairs)
        self.assertEqual(len(pairs), 10)

    def test_three_months_of_history_and_the_next_weeks_scheduled(self):
        for manager in (self.maya, self.otto):
            with self.subTest(manager=manager.name):
                ended = self.one_on_ones(manager).exclude(status=MeetingStatus.SCHEDULED)
                self.assertGreaterEqual(ended.count(), 40)
                upcoming = self.one_on_ones(manager).filter(status=MeetingStatus.SCHEDULED)
                self.assertGreaterEqual(upcoming.count(), 15)

    def test_maya_holds_nearly_all_and_otto_misses_several(self):
        def shares(manager):
            counts = dict(
                self.one_on_ones(manager)
                .exclude(status=MeetingStatus.SCHEDULED)
                .values_list("status")
                .annotate(n=Count("pk"))
            )
            slots = counts.get("held", 0) + counts.get("missed", 0)
            return counts.get("held", 0) / slots, counts.get("missed", 0), counts.get("moved", 0)

        maya_held, _maya_missed, _ = shares(self.maya)
        otto_held, otto_missed, otto_moved = shares(self.otto)
        self.assertGreaterEqual(maya_held, 0.88)
        self.assertLessEqual(otto_held, 0.8)
        self.assertGreaterEqual(otto_missed, 5)
        self.assertGreaterEqual(otto_moved, 1)
        self.assertTrue(Meeting.objects.filter(moved_from__isnull=False).exists())
        self.assertFalse(Meeting.objects.filter(status=MeetingStatus.MISSED, missed_by="").exists())

    def test_held_meetings_have_notes_in_the_coaching_order(self):
        held = Meeting.objects.filter(status=MeetingStatus.HELD)
        self.assertFalse(held.filter(agenda__isnull=True).exists())
        notes = MeetingNote.objects.filter(meeting__in=held).order_by("meeting", "created_at", "pk")
        first_kind: dict[int, str] = {}
        for meeting_id, kind, author_id, rep_id in notes.values_list(
            "meeting_id", "kind", "author_id", "meeting__rep_id"
        ):
            first_kind.setdefault(meeting_id, kind)
            if kind == NoteKind.REFLECTION:
                self.assertEqual(author_id, rep_id)
        self.assertEqual(set(first_kind.values()), {NoteKind.REFLECTION})
        self.assertEqual(len(first_kind), held.count())
        self.assertTrue(held.filter(notes__kind=NoteKind.FEEDBACK).exists())
        texts = set(notes.filter(kind=NoteKind.FEEDBACK).values_list("text", flat=True))
        self.assertGreaterEqual(len(texts), 10)
        self.assertTrue(notes.filter(kind=NoteKind.PRIVATE).exists())

    def test_deal_reviews_and_the_benelux_promise(self):
        settings = CoachingSettings.objects.get(team__name="Benelux")
        self.assertEqual(settings.deal_review_days, 21)
        reviews = Meeting.objects.filter(kind=MeetingKind.DEAL_REVIEW, status=MeetingStatus.HELD)
        self.assertGreater(
            reviews.filter(manager=self.maya).count(), reviews.filter(manager=self.otto).count()
        )
        self.assertFalse(reviews.filter(deal__isnull=True).exists())

    def test_otto_steps_in_often_maya_rarely(self):
        counts = dict(SteppedIn.objects.values_list("manager__name").annotate(n=Count("pk")))
        self.assertGreaterEqual(counts.get("Otto Keller", 0), 5)
        self.assertIn(counts.get("Maya Manager", 0), (1, 2))

    def test_ruben_reads_his_1_1s_but_never_mayas_private_notes(self):
        ruben = Person.objects.get(name="Ruben Rep")
        self.client.force_login(ruben.user)
        self.assertEqual(self.client.get("/one-on-ones/").status_code, 200)
        private = MeetingNote.objects.filter(
            meeting__rep=ruben, kind=NoteKind.PRIVATE
        ).select_related("meeting")
        self.assertTrue(private.exists())
        for note in private[:3]:
            response = self.client.get(f"/one-on-ones/{note.meeting_id}/")
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, note.text)
        upcoming = (
            Meeting.objects.filter(rep=ruben, status=MeetingStatus.SCHEDULED)
            .order_by("scheduled_at")
            .first()
        )
        self.assertTrue(upcoming.items.exists())
