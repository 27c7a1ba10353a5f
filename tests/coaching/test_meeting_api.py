"""/api/v1/meetings/: the same people see and change the same meetings as on the pages."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.cadence import at, end_meeting
from followthrough.coaching.models import Meeting, MeetingKind, MeetingStatus, NoteKind
from tests.coaching.meetings_base import MeetingTestCase
from tests.metrics.helpers import deal

LIST = "/api/v1/meetings/"


class MeetingListTests(MeetingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.past = cls.one_on_one(
            cls.manager, cls.rep, cls.today - dt.timedelta(days=7), status=MeetingStatus.HELD
        )
        cls.robs = cls.one_on_one(cls.manager, cls.rep2, cls.today)
        cls.ottos = cls.one_on_one(cls.other_manager, cls.other_rep, cls.today)

    def ids(self, who, query: str = "") -> list[int]:
        self.login(who)
        response = self.client.get(LIST + query)
        self.assertEqual(response.status_code, 200)
        return sorted(item["id"] for item in response.json()["results"])

    def test_each_sees_their_own_pairs_meetings(self):
        self.assertEqual(self.ids(self.rep), sorted([self.meeting.pk, self.past.pk]))
        self.assertEqual(self.ids(self.rep2), [self.robs.pk])
        self.assertEqual(
            self.ids(self.manager), sorted([self.meeting.pk, self.past.pk, self.robs.pk])
        )
        self.assertEqual(len(self.ids(self.leader)), 4)
        self.assertEqual(len(self.ids(self.admin)), 4)
        self.assertEqual(self.ids(self.outsider), [])

    def test_it_filters_by_person_kind_status_and_dates(self):
        self.assertEqual(self.ids(self.leader, f"?person={self.rep2.pk}"), [self.robs.pk])
        self.assertEqual(self.ids(self.leader, "?status=held"), [self.past.pk])
        self.assertEqual(self.ids(self.leader, "?kind=deal_review"), [])
        since = (self.today - dt.timedelta(days=1)).isoformat()
        self.assertNotIn(self.past.pk, self.ids(self.leader, f"?from={since}"))
        self.assertEqual(self.ids(self.leader, f"?until={since}"), [self.past.pk])

    def test_items_have_an_id_and_their_detail_url(self):
        self.login(self.rep)
        item = self.client.get(LIST).json()["results"][0]
        self.assertTrue(item["url"].endswith(f"/api/v1/meetings/{item['id']}/"))

    def test_a_peer_another_manager_and_the_outsider_get_404_on_the_detail(self):
        for who in (self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(self.client.get(f"{LIST}{self.meeting.pk}/").status_code, 404)
                self.assertEqual(
                    self.client.get(f"{LIST}{self.meeting.pk}/agenda/").status_code, 404
                )

    def test_the_detail_shows_shared_notes_to_the_rep_and_private_ones_to_the_leader(self):
        self.note(self.meeting, self.rep, NoteKind.REFLECTION, "Two demos", "What went well?")
        self.private_note("Secret")
        self.login(self.rep)
        notes = self.client.get(f"{LIST}{self.meeting.pk}/").json()["notes"]
        self.assertEqual([n["text"] for n in notes], ["Two demos"])
        self.login(self.leader)
        notes = self.client.get(f"{LIST}{self.meeting.pk}/").json()["notes"]
        self.assertEqual([n["text"] for n in notes], ["Two demos", "Secret"])

    def test_the_agenda_as_json(self):
        self.login(self.rep)
        body = self.client.get(f"{LIST}{self.meeting.pk}/agenda/").json()
        self.assertFalse(body["frozen"])
        self.assertEqual(body["since"], (self.today - dt.timedelta(days=7)).isoformat())
        self.assertEqual(body["sections"][0]["key"], "kpis")

    def test_anonymous_is_refused(self):
        self.assertIn(self.client.get(LIST).status_code, (401, 403))


class MeetingWriteTests(MeetingTestCase):
    def post(self, who, url, data):
        self.login(who)
        return self.client.post(url, data, content_type="application/json")

    def test_the_manager_creates_a_1_1_and_a_deal_review(self):
        when = at(self.org, self.today + dt.timedelta(days=3), dt.time(10)).isoformat()
        response = self.post(self.manager, LIST, {"rep": self.rep.pk, "scheduled_at": when})
        self.assertEqual(response.status_code, 201, response.content)
        initech = deal(self.org, self.rep, created=self.today, name="Initech")
        response = self.post(
            self.manager, LIST, {"kind": "deal_review", "deal": initech.pk, "scheduled_at": when}
        )
        self.assertEqual(response.status_code, 201, response.content)
        review = Meeting.objects.get(pk=response.json()["id"])
        self.assertEqual(
            (review.kind, review.rep, review.deal), (MeetingKind.DEAL_REVIEW, self.rep, initech)
        )

    def test_bad_input_gets_field_errors(self):
        response = self.post(self.manager, LIST, {"kind": "deal_review", "scheduled_at": "soon"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(set(response.json()), {"scheduled_at"})
        when = at(self.org, self.today, dt.time(10)).isoformat()
        response = self.post(self.manager, LIST, {"kind": "deal_review", "scheduled_at": when})
        self.assertEqual(response.json(), {"deal": ["A deal review is about one deal."]})
        response = self.post(self.manager, LIST, {"rep": 999999, "scheduled_at": when})
        self.assertEqual(response.json(), {"rep": ["No such person."]})
        response = self.post(self.manager, LIST, {"rep": self.manager.pk, "scheduled_at": when})
        self.assertEqual(response.status_code, 403)

    def test_who_does_not_coach_the_rep_may_not_create(self):
        when = at(self.org, self.today, dt.time(10)).isoformat()
        for who in (self.rep, self.rep2, self.other_manager):
            with self.subTest(who=who.name):
                response = self.post(who, LIST, {"rep": self.rep.pk, "scheduled_at": when})
                self.assertEqual(response.status_code, 403)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_moving_and_ending_through_the_api(self):
        when = at(self.org, self.today + dt.timedelta(days=1), dt.time(9))
        response = self.post(
            self.rep, f"{LIST}{self.meeting.pk}/move/", {"scheduled_at": when.isoformat()}
        )
        self.assertEqual(response.status_code, 201, response.content)
        moved = response.json()
        self.assertEqual(moved["moved_from"], self.meeting.pk)
        response = self.post(self.manager, f"{LIST}{self.meeting.pk}/end/", {"status": "held"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("status", response.json())
        response = self.post(self.manager, f"{LIST}{moved['id']}/end/", {"status": "missed"})
        self.assertEqual(response.json(), {"missed_by": ["Say who missed the meeting."]})
        response = self.post(
            self.manager, f"{LIST}{moved['id']}/end/", {"status": "missed", "missed_by": "both"}
        )
        self.assertEqual(response.json()["status"], "missed")

    def test_moving_a_held_meeting_is_a_400_that_says_why(self):
        end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        when = at(self.org, self.today + dt.timedelta(days=1), dt.time(9)).isoformat()
        response = self.post(self.manager, f"{LIST}{self.meeting.pk}/move/", {"scheduled_at": when})
        self.assertEqual(response.status_code, 400)
        self.assertIn("cannot be moved", response.json()["status"][0])

    def test_a_leader_reads_but_does_not_move_or_end(self):
        when = at(self.org, self.today + dt.timedelta(days=1), dt.time(9)).isoformat()
        response = self.post(self.leader, f"{LIST}{self.meeting.pk}/move/", {"scheduled_at": when})
        self.assertEqual(response.status_code, 403)
        response = self.post(self.leader, f"{LIST}{self.meeting.pk}/end/", {"status": "held"})
        self.assertEqual(response.status_code, 403)
        response = self.post(self.rep2, f"{LIST}{self.meeting.pk}/end/", {"status": "held"})
        self.assertEqual(response.status_code, 404)


class MeetingNoteApiTests(MeetingTestCase):
    def post(self, who, data):
        self.login(who)
        return self.client.post(
            f"{LIST}{self.meeting.pk}/notes/", data, content_type="application/json"
        )

    def test_the_rep_answers_first_then_the_manager_gives_feedback(self):
        feedback = {"kind": "feedback", "text": "Keep the morning call blocks."}
        response = self.post(self.manager, feedback)
        self.assertEqual(response.status_code, 400)
        self.assertIn("text", response.json())
        answer = {"kind": "reflection", "question": "What went well?", "text": "Two demos"}
        response = self.post(self.rep, answer)
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["question"], "What went well?")
        self.assertEqual(self.post(self.manager, feedback).status_code, 201)
        kinds = list(self.meeting.notes.order_by("pk").values_list("kind", flat=True))
        self.assertEqual(kinds, [NoteKind.REFLECTION, NoteKind.FEEDBACK])

    def test_bad_notes_are_field_errors(self):
        self.assertEqual(
            self.post(self.rep, {"kind": "reflection", "text": "x"}).json(),
            {"question": ["Say which question this answers."]},
        )
        response = self.post(self.rep, {"kind": "gossip", "text": "x"})
        self.assertEqual(set(response.json()), {"kind"})
        response = self.post(self.manager, {"kind": "private"})
        self.assertEqual(set(response.json()), {"text"})

    def test_notes_for_a_pair_one_is_not_in_or_of_the_other_side_are_refused(self):
        private = {"kind": "private", "text": "Not mine"}
        for who, status in [
            (self.rep, 403),
            (self.leader, 403),
            (self.admin, 403),
            (self.rep2, 404),
            (self.other_manager, 404),
            (self.outsider, 404),
        ]:
            with self.subTest(who=who.name):
                self.assertEqual(self.post(who, private).status_code, status)
        answer = {"kind": "reflection", "question": "What went well?", "text": "I did"}
        self.assertEqual(self.post(self.manager, answer).status_code, 403)
        self.assertFalse(self.meeting.notes.exists())
