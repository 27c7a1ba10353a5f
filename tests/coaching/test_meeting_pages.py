"""The 1:1 pages: who sees and writes what, the coaching order, the private-note rule, refusals."""

from __future__ import annotations

import datetime as dt

from followthrough.coaching.cadence import at, end_meeting
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
from tests.coaching.meetings_base import MeetingTestCase
from tests.metrics.helpers import activity, deal, stage_change

SECRET = "Rita hides behind e-mail; push for calls."


class MeetingAccessTests(MeetingTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/one-on-ones/{self.meeting.pk}/{suffix}"

    def test_the_pair_and_those_above_the_rep_see_the_meeting(self):
        for who, status in [
            (self.rep, 200),
            (self.manager, 200),
            (self.leader, 200),
            (self.admin, 200),
            (self.rep2, 404),
            (self.other_manager, 404),
            (self.other_rep, 404),
            (self.outsider, 404),
        ]:
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(self.client.get(self.url()).status_code, status)

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_page_shows_the_agenda_and_the_steps_in_the_coaching_order(self):
        self.login(self.rep)
        html = self.client.get(self.url()).content.decode()
        agenda = html.index("Numbers since the last 1:1")
        reflection = html.index("The rep reflects")
        feedback = html.index("The manager's feedback")
        self.assertLess(agenda, reflection)
        self.assertLess(reflection, feedback)
        self.assertIn("What went well?", html)
        self.assertIn(f"/commitments/new/?meeting={self.meeting.pk}&amp;owner={self.rep.pk}", html)


class PrivateNoteTests(MeetingTestCase):
    def setUp(self):
        self.private_note(SECRET)

    def test_the_author_and_the_authors_leader_read_it(self):
        for who in (self.manager, self.leader):
            with self.subTest(who=who.name):
                self.login(who)
                self.assertContains(self.client.get(f"/one-on-ones/{self.meeting.pk}/"), SECRET)

    def test_the_rep_never_reads_it_in_the_page_the_api_or_the_agenda(self):
        self.login(self.rep)
        page = self.client.get(f"/one-on-ones/{self.meeting.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, SECRET)
        self.assertNotContains(page, "Private notes")
        detail = self.client.get(f"/api/v1/meetings/{self.meeting.pk}/")
        self.assertNotIn(SECRET, detail.content.decode())
        self.assertEqual([n["kind"] for n in detail.json()["notes"]], [])
        agenda = self.client.get(f"/api/v1/meetings/{self.meeting.pk}/agenda/")
        self.assertEqual(agenda.status_code, 200)
        self.assertNotIn(SECRET, agenda.content.decode())

    def test_the_rep_does_not_read_it_after_the_meeting_is_held_either(self):
        end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        self.login(self.rep)
        self.assertNotContains(self.client.get(f"/one-on-ones/{self.meeting.pk}/"), SECRET)
        self.assertNotIn(SECRET, str(Meeting.objects.get(pk=self.meeting.pk).agenda))

    def test_an_admin_outside_the_authors_line_does_not_read_it(self):
        self.login(self.admin)
        response = self.client.get(f"/one-on-ones/{self.meeting.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, SECRET)
        self.assertNotIn(
            SECRET, self.client.get(f"/api/v1/meetings/{self.meeting.pk}/").content.decode()
        )

    def test_nobody_but_the_author_edits_it(self):
        note = MeetingNote.objects.get()
        for who, status in [
            (self.rep, 403),
            (self.leader, 403),
            (self.rep2, 403),
            (self.outsider, 404),
        ]:
            with self.subTest(who=who.name):
                self.login(who)
                response = self.client.post(f"/one-on-ones/notes/{note.pk}/edit/", {"text": "x"})
                self.assertEqual(response.status_code, status)
        note.refresh_from_db()
        self.assertEqual(note.text, SECRET)


class CoachingOrderTests(MeetingTestCase):
    def reflect(self, who, **answers):
        self.login(who)
        return self.client.post(f"/one-on-ones/{self.meeting.pk}/reflection/", answers)

    def note(self, who, kind, text):
        self.login(who)
        return self.client.post(
            f"/one-on-ones/{self.meeting.pk}/notes/", {f"{kind}-kind": kind, f"{kind}-text": text}
        )

    def test_feedback_waits_for_the_reps_reflection(self):
        response = self.note(self.manager, NoteKind.FEEDBACK, "Good call structure.")
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response,
            "The rep answers the reflective questions first; then your feedback.",
            status_code=400,
        )
        self.assertFalse(MeetingNote.objects.exists())
        self.assertEqual(
            self.reflect(self.rep, q0="Two demos booked", q2="Call before e-mailing").status_code,
            302,
        )
        self.assertEqual(
            self.note(self.manager, NoteKind.FEEDBACK, "Good call structure.").status_code, 302
        )
        notes = MeetingNote.objects.order_by("pk")
        self.assertEqual(
            [(n.kind, n.question, n.text) for n in notes],
            [
                (NoteKind.REFLECTION, "What went well?", "Two demos booked"),
                (NoteKind.REFLECTION, "What will you change next time?", "Call before e-mailing"),
                (NoteKind.FEEDBACK, "", "Good call structure."),
            ],
        )

    def test_an_empty_reflection_is_refused_with_a_reason(self):
        response = self.reflect(self.rep, q0=" ")
        self.assertContains(response, "Answer at least one question.", status_code=400)

    def test_each_writes_only_their_own_part(self):
        self.assertEqual(self.reflect(self.manager, q0="I think it went well").status_code, 403)
        self.assertEqual(self.note(self.rep, NoteKind.FEEDBACK, "Great job, me").status_code, 403)
        self.assertEqual(self.note(self.rep, NoteKind.PRIVATE, "Secret").status_code, 403)
        self.assertFalse(MeetingNote.objects.exists())

    def test_notes_for_a_pair_one_is_not_in_are_refused(self):
        for who, status in [
            (self.leader, 403),
            (self.admin, 403),
            (self.rep2, 404),
            (self.other_manager, 404),
            (self.outsider, 404),
        ]:
            with self.subTest(who=who.name):
                self.assertEqual(self.note(who, NoteKind.PRIVATE, "Not mine").status_code, status)
                self.assertEqual(self.reflect(who, q0="Not mine").status_code, status)
        self.assertFalse(MeetingNote.objects.exists())

    def test_the_manager_edits_their_own_feedback_but_not_the_reps_answers(self):
        self.reflect(self.rep, q0="Two demos")
        answer = MeetingNote.objects.get()
        self.login(self.manager)
        response = self.client.post(f"/one-on-ones/notes/{answer.pk}/edit/", {"text": "Changed"})
        self.assertEqual(response.status_code, 403)
        self.note(self.manager, NoteKind.FEEDBACK, "First draft")
        feedback = MeetingNote.objects.get(kind=NoteKind.FEEDBACK)
        response = self.client.post(f"/one-on-ones/notes/{feedback.pk}/edit/", {"text": "Better"})
        self.assertEqual(response.status_code, 302)
        feedback.refresh_from_db()
        self.assertEqual(feedback.text, "Better")

    def test_team_questions_are_asked_and_the_starter_ones_are_translated(self):
        self.login(self.rep)
        self.client.cookies["django_language"] = "nl"
        html = self.client.get(f"/one-on-ones/{self.meeting.pk}/").content.decode()
        self.assertIn("Wat ging er goed?", html)
        CoachingSettings.objects.create(
            team=self.team, organisation=self.org, questions=["Which deal taught you most?"]
        )
        html = self.client.get(f"/one-on-ones/{self.meeting.pk}/").content.decode()
        self.assertIn("Which deal taught you most?", html)
        self.assertNotIn("Wat ging er goed?", html)

    def test_items_either_side_added_and_removed_only_by_who_added_them(self):
        self.login(self.rep)
        self.client.post(f"/one-on-ones/{self.meeting.pk}/items/", {"text": "Pricing of Initech"})
        item = self.meeting.items.get()
        self.login(self.manager)
        self.assertContains(
            self.client.get(f"/one-on-ones/{self.meeting.pk}/"), "Pricing of Initech"
        )
        response = self.client.post(f"/one-on-ones/items/{item.pk}/delete/")
        self.assertEqual(response.status_code, 403)
        self.login(self.rep)
        self.client.post(f"/one-on-ones/items/{item.pk}/delete/")
        self.assertFalse(self.meeting.items.exists())


class MoveAndEndPageTests(MeetingTestCase):
    def test_the_rep_moves_the_meeting(self):
        self.login(self.rep)
        day = self.today + dt.timedelta(days=1)
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/move/",
            {"day": day.isoformat(), "time": "14:00", "duration_minutes": "45"},
        )
        moved = Meeting.objects.get(moved_from=self.meeting)
        self.assertRedirects(response, f"/one-on-ones/{moved.pk}/")
        self.assertEqual(
            (moved.scheduled_at, moved.duration_minutes), (at(self.org, day, dt.time(14)), 45)
        )

    def test_moving_a_held_meeting_is_refused_clearly(self):
        end_meeting(self.manager, self.meeting, MeetingStatus.HELD)
        self.login(self.manager)
        page = self.client.get(f"/one-on-ones/{self.meeting.pk}/move/")
        self.assertContains(page, "This meeting has ended (Held): it cannot be changed.")
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/move/",
            {"day": self.today.isoformat(), "time": "14:00", "duration_minutes": "30"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Meeting.objects.filter(moved_from=self.meeting).exists())

    def test_bad_dates_are_field_errors(self):
        self.login(self.manager)
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/move/", {"day": "31-02-2026", "time": "25:00"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, 'id="id_day_error"', status_code=400)
        self.assertContains(response, 'id="id_time_error"', status_code=400)

    def test_the_manager_ends_it_as_missed_by_the_rep(self):
        self.login(self.manager)
        response = self.client.post(f"/one-on-ones/{self.meeting.pk}/end/", {"status": "missed"})
        self.assertContains(response, "Say who missed the meeting.", status_code=400)
        self.client.post(
            f"/one-on-ones/{self.meeting.pk}/end/", {"status": "missed", "missed_by": "rep"}
        )
        self.meeting.refresh_from_db()
        self.assertEqual((self.meeting.status, self.meeting.missed_by), ("missed", "rep"))

    def test_others_may_not_move_or_end_it(self):
        for who, status in [(self.leader, 403), (self.rep2, 404), (self.outsider, 404)]:
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(
                    self.client.get(f"/one-on-ones/{self.meeting.pk}/move/").status_code, status
                )
                response = self.client.post(
                    f"/one-on-ones/{self.meeting.pk}/end/", {"status": "held"}
                )
                self.assertEqual(response.status_code, status)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, MeetingStatus.SCHEDULED)


class ListAndCadencePageTests(MeetingTestCase):
    def test_the_rep_sees_upcoming_and_past_with_their_status(self):
        self.one_on_one(self.manager, self.rep, self.today - dt.timedelta(days=7), status="held")
        self.one_on_one(
            self.manager,
            self.rep,
            self.today - dt.timedelta(days=14),
            status="missed",
            missed_by="manager",
        )
        self.one_on_one(self.other_manager, self.other_rep, self.today)
        self.login(self.rep)
        response = self.client.get("/one-on-ones/")
        self.assertEqual(len(response.context["upcoming"]), 1)
        self.assertEqual([m.status for m in response.context["past"]], ["held", "missed"])
        self.assertContains(response, "The manager")

    def test_a_manager_sees_all_their_pairs_and_sets_a_cadence(self):
        self.login(self.manager)
        response = self.client.get("/one-on-ones/")
        self.assertEqual([rep.name for rep, _c in response.context["pairs"]], ["Rita", "Rob"])
        response = self.client.post(
            f"/people/{self.rep2.pk}/cadence/",
            {"frequency": "fortnightly", "weekday": "3", "time": "15:00", "duration_minutes": "30"},
        )
        self.assertEqual(response.status_code, 302)
        cadence = Cadence.objects.get(rep=self.rep2)
        self.assertEqual(
            (cadence.frequency, cadence.weekday, cadence.manager), ("fortnightly", 3, self.manager)
        )

    def test_times_are_shown_in_the_organisations_time_zone(self):
        self.org.timezone = "Asia/Tokyo"
        self.org.save()
        tokyo = Meeting.objects.create(
            organisation=self.org,
            manager=self.manager,
            rep=self.rep,
            scheduled_at=at(self.org, self.today + dt.timedelta(days=1), dt.time(9)),
        )
        self.login(self.rep)
        self.assertContains(self.client.get("/one-on-ones/"), ", 09:00</time>")
        self.assertContains(self.client.get(f"/one-on-ones/{tokyo.pk}/"), ", 09:00</time>")

    def test_a_leader_looks_at_a_reps_1_1s_a_peer_may_not(self):
        self.login(self.leader)
        self.assertEqual(self.client.get(f"/one-on-ones/?person={self.rep.pk}").status_code, 200)
        self.login(self.rep2)
        self.assertEqual(self.client.get(f"/one-on-ones/?person={self.rep.pk}").status_code, 403)

    def test_the_cadence_page_refuses_who_does_not_coach_the_rep(self):
        for who, status in [
            (self.rep, 403),
            (self.rep2, 403),
            (self.other_manager, 403),
            (self.outsider, 404),
        ]:
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(
                    self.client.get(f"/people/{self.rep.pk}/cadence/").status_code, status
                )

    def test_a_bad_cadence_is_refused_field_by_field(self):
        self.login(self.manager)
        response = self.client.post(
            f"/people/{self.rep.pk}/cadence/", {"frequency": "daily", "weekday": "9", "time": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            set(response.context["form"].errors),
            {"frequency", "weekday", "time", "duration_minutes"},
        )
        self.assertFalse(Cadence.objects.exists())


class SettingsPageTests(MeetingTestCase):
    def test_the_teams_manager_leader_and_admin_edit_the_settings(self):
        for who in (self.manager, self.leader, self.admin):
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(
                    self.client.get(f"/teams/{self.team.pk}/coaching/").status_code, 200
                )
        self.login(self.manager)
        response = self.client.post(
            f"/teams/{self.team.pk}/coaching/",
            {
                "questions_text": "What went well?\nWhat did the buyer say?",
                "deal_review_days": "21",
                "stale_days": "14",
            },
        )
        self.assertEqual(response.status_code, 302)
        settings = CoachingSettings.objects.get(team=self.team)
        self.assertEqual(settings.questions, ["What went well?", "What did the buyer say?"])
        self.assertEqual((settings.deal_review_days, settings.stale_days), (21, 14))

    def test_reps_and_other_teams_managers_may_not(self):
        for who, status in [(self.rep, 403), (self.other_manager, 403), (self.outsider, 404)]:
            with self.subTest(who=who.name):
                self.login(who)
                self.assertEqual(
                    self.client.get(f"/teams/{self.team.pk}/coaching/").status_code, status
                )
                self.assertEqual(
                    self.client.get(f"/teams/{self.team.pk}/deal-reviews/").status_code, status
                )

    def test_bad_settings_are_field_errors(self):
        self.login(self.manager)
        response = self.client.post(
            f"/teams/{self.team.pk}/coaching/",
            {"questions_text": " \n ", "deal_review_days": "0", "stale_days": "-3"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            set(response.context["form"].errors),
            {"questions_text", "deal_review_days", "stale_days"},
        )


class DealReviewPageTests(MeetingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.days_ago = lambda days: cls.today - dt.timedelta(days=days)
        cls.deal = deal(
            cls.org,
            cls.rep,
            created=cls.today - dt.timedelta(days=40),
            name="Initech renewal",
            amount=12000,
            stage="Proposal",
        )
        stage_change(cls.org, cls.deal, "Discovery", cls.today - dt.timedelta(days=30))
        stage_change(
            cls.org, cls.deal, "Proposal", cls.today - dt.timedelta(days=10), from_stage="Discovery"
        )
        activity(
            cls.org,
            cls.rep,
            cls.today - dt.timedelta(days=5),
            deal=cls.deal,
            subject="Pricing call",
        )

    def test_the_manager_schedules_a_review_whose_page_shows_the_deal_and_its_history(self):
        self.login(self.manager)
        response = self.client.post(
            "/deal-reviews/new/",
            {
                "deal": self.deal.pk,
                "day": self.today.isoformat(),
                "time": "23:00",
                "duration_minutes": "30",
            },
        )
        review = Meeting.objects.get(kind=MeetingKind.DEAL_REVIEW)
        self.assertRedirects(response, f"/one-on-ones/{review.pk}/")
        self.assertEqual((review.rep, review.deal), (self.rep, self.deal))
        html = self.client.get(f"/one-on-ones/{review.pk}/").content.decode()
        for text in (
            "Deal review: Initech renewal",
            "Discovery → Proposal",
            "Pricing call",
            "What went well?",
        ):
            self.assertIn(text, html)

    def test_a_deal_of_someone_else_is_a_field_error(self):
        other = deal(self.org, self.other_rep, created=self.today, name="Not mine")
        self.login(self.manager)
        response = self.client.post(
            "/deal-reviews/new/",
            {
                "deal": other.pk,
                "day": self.today.isoformat(),
                "time": "10:00",
                "duration_minutes": "30",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("deal", response.context["form"].errors)
        self.login(self.rep)
        self.assertEqual(self.client.get("/deal-reviews/new/").status_code, 403)

    def test_the_promise_lists_the_open_deals_not_reviewed_in_time(self):
        CoachingSettings.objects.create(team=self.team, organisation=self.org, deal_review_days=21)
        fresh = deal(self.org, self.rep2, created=self.today - dt.timedelta(days=3), name="Fresh")
        reviewed = deal(
            self.org, self.rep2, created=self.today - dt.timedelta(days=90), name="Reviewed"
        )
        Meeting.objects.create(
            organisation=self.org,
            kind=MeetingKind.DEAL_REVIEW,
            manager=self.manager,
            rep=self.rep2,
            deal=reviewed,
            scheduled_at=at(self.org, self.today - dt.timedelta(days=5), dt.time(10)),
            status="held",
        )
        self.login(self.manager)
        response = self.client.get(f"/teams/{self.team.pk}/deal-reviews/")
        check = response.context["check"]
        self.assertEqual([row.deal.name for row in check.overdue], ["Initech renewal"])
        self.assertEqual(check.overdue[0].due_on, self.today - dt.timedelta(days=19))
        self.assertEqual((check.open_deals, check.kept), (3, 2))
        self.assertNotIn(fresh, [row.deal for row in check.overdue])
        self.assertContains(response, "Kept for 2 of 3 open deals.")


class SteppedInPageTests(MeetingTestCase):
    def test_the_manager_records_it_on_the_1_1_and_the_leader_sees_the_count(self):
        won = deal(
            self.org,
            self.rep,
            created=self.today - dt.timedelta(days=20),
            name="Globex",
            stage="Negotiation",
        )
        self.login(self.manager)
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/stepped-in/",
            {
                "stepped-deal": won.pk,
                "stepped-on": self.today.isoformat(),
                "stepped-note": "I ran the negotiation.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(SteppedIn.objects.get().manager, self.manager)
        self.login(self.leader)
        response = self.client.get("/stepped-in/")
        counts = {row.manager.name: row.count for row in response.context["counts"]}
        # Every manager below the leader is listed, those who never stepped in too.
        self.assertEqual(counts, {"Maya": 1, "Otto": 0})
        self.assertContains(response, "I ran the negotiation.")

    def test_the_rep_does_not_record_it_nor_see_the_page(self):
        won = deal(self.org, self.rep, created=self.today, name="Globex")
        self.login(self.rep)
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/stepped-in/",
            {"stepped-deal": won.pk, "stepped-on": self.today.isoformat()},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.client.get("/stepped-in/").status_code, 403)
        self.assertFalse(SteppedIn.objects.exists())

    def test_a_day_in_the_future_is_a_field_error(self):
        won = deal(self.org, self.rep, created=self.today, name="Globex")
        self.login(self.manager)
        response = self.client.post(
            f"/one-on-ones/{self.meeting.pk}/stepped-in/",
            {"stepped-deal": won.pk, "stepped-on": (self.today + dt.timedelta(days=3)).isoformat()},
        )
        self.assertContains(response, "That day has not come yet.", status_code=400)


class QueryCountTests(MeetingTestCase):
    def count(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.get(url)  # warm the caches of the first request (metric catalogue)
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(context.captured_queries)

    def test_the_list_and_the_meeting_page_cost_the_same_with_more_reps_and_history(self):
        from followthrough.people.lines import move
        from tests.cast import make_person

        self.login(self.manager)
        before = (self.count("/one-on-ones/"), self.count(f"/one-on-ones/{self.meeting.pk}/"))
        for index in range(4):
            rep = make_person(self.org, f"Extra{index}", "rep")
            move(rep, manager=self.manager, team=self.team, on=self.today)
            for week in range(1, 6):
                self.one_on_one(
                    self.manager, rep, self.today - dt.timedelta(days=7 * week), status="held"
                )
                self.one_on_one(
                    self.manager, self.rep, self.today - dt.timedelta(days=7 * week + index + 1)
                )
        after = (self.count("/one-on-ones/"), self.count(f"/one-on-ones/{self.meeting.pk}/"))
        self.assertEqual(after, before)
