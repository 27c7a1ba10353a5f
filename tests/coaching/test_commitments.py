"""Commitments: due dates required, who may make and close them, overdue marked, one list."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followthrough.audit.models import AuditEntry
from followthrough.coaching import commitments as logic
from followthrough.coaching.models import Commitment, CommitmentStatus, Meeting
from tests.cast import BaseTestCase

TODAY = dt.date(2026, 3, 11)  # a Wednesday
# Noon in Amsterdam is 11:00 UTC in winter; the cast's organisation keeps the default zone.
NOON = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)


def make(owner, by=None, due=TODAY, text="Call the five stalled accounts", today=TODAY, **kw):
    return logic.make_commitment(
        by=by or owner, owner=owner, text=text, due_on=due, today=today, **kw
    )


class MakingCommitmentsTests(BaseTestCase):
    def test_a_rep_commits_for_themself_and_a_manager_for_a_report(self):
        own = make(self.rep, due=dt.date(2026, 3, 13))
        set_by_manager = make(self.rep, by=self.manager, due=dt.date(2026, 3, 20))
        self.assertEqual(own.status, CommitmentStatus.OPEN)
        self.assertEqual(own.created_on, TODAY)
        self.assertEqual(set_by_manager.created_by, self.manager)

    def test_a_manager_commits_for_themself(self):
        self.assertEqual(make(self.manager).owner, self.manager)

    def test_nobody_else_makes_a_commitment_for_someone(self):
        for who in (self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                make(self.rep, by=who)
        # A rep does not commit for their manager either.
        with self.assertRaises(PermissionDenied):
            make(self.manager, by=self.rep)
        self.assertFalse(Commitment.objects.exists())

    def test_a_commitment_without_a_due_date_is_refused(self):
        with self.assertRaises(ValidationError) as refused:
            make(self.rep, due=None)
        self.assertIn("due_on", refused.exception.error_dict)
        self.assertFalse(Commitment.objects.exists())

    def test_a_commitment_due_before_the_day_it_is_made_is_refused_but_today_is_fine(self):
        with self.assertRaises(ValidationError) as refused:
            make(self.rep, due=dt.date(2026, 3, 10))
        self.assertEqual(
            refused.exception.error_dict["due_on"][0].messages,
            ["The due date is before the day it is made."],
        )
        self.assertEqual(make(self.rep, due=TODAY).due_on, TODAY)
        self.assertEqual(Commitment.objects.count(), 1)

    def test_a_commitment_from_a_meeting_needs_the_maker_and_owner_in_its_pair(self):
        meeting = Meeting.objects.create(
            organisation=self.org,
            manager=self.manager,
            rep=self.rep,
            scheduled_at=NOON,
        )
        self.assertEqual(make(self.rep, by=self.manager, meeting=meeting).meeting, meeting)
        self.assertEqual(make(self.manager, meeting=meeting).meeting, meeting)
        with self.assertRaises(ValidationError) as refused:
            make(self.rep2, by=self.manager, meeting=meeting)
        self.assertIn("meeting", refused.exception.error_dict)


class ClosingTests(BaseTestCase):
    def test_done_needs_evidence_and_is_kept_on_time_when_closed_by_the_due_date(self):
        commitment = make(self.rep, due=dt.date(2026, 3, 13))
        with self.assertRaises(ValidationError) as refused:
            logic.close_commitment(commitment, by=self.rep, status="done", evidence="  ")
        self.assertIn("evidence", refused.exception.error_dict)
        commitment.refresh_from_db()
        self.assertEqual(commitment.status, CommitmentStatus.OPEN)
        logic.close_commitment(
            commitment, by=self.rep, status="done", evidence="4 of 5 called", today=TODAY
        )
        commitment.refresh_from_db()
        self.assertEqual((commitment.status, commitment.closed_on), ("done", TODAY))
        self.assertTrue(logic.kept_on_time(commitment))

    def test_closed_after_the_due_date_is_done_late(self):
        commitment = make(self.rep, due=TODAY)
        logic.close_commitment(
            commitment, by=self.manager, status="done", evidence="ok", today=dt.date(2026, 3, 12)
        )
        self.assertFalse(logic.kept_on_time(commitment))

    def test_dropped_and_missed_need_no_evidence(self):
        for status in ("dropped", "missed"):
            commitment = logic.close_commitment(make(self.rep), by=self.rep, status=status)
            self.assertEqual(commitment.status, status)

    def test_the_peer_the_other_manager_the_leader_reading_and_the_outsider_may_not_close(self):
        commitment = make(self.rep)
        for who in (self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                logic.close_commitment(commitment, by=who, status="dropped")
        # Lea leads Maya: she may act for Rita too.
        logic.close_commitment(commitment, by=self.leader, status="dropped")

    def test_every_change_is_in_the_audit_history(self):
        commitment = make(self.rep)
        logic.close_commitment(commitment, by=self.rep, status="done", evidence="sent")
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commitment), object_id=commitment.pk
        )
        self.assertEqual(entries.count(), 2)


@time_machine.travel(NOON, tick=False)
class OverdueTests(BaseTestCase):
    def test_overdue_means_open_and_due_before_today_computed_by_hand(self):
        # Made on 2 March; today is 11 March.
        made = dt.date(2026, 3, 2)
        due_yesterday = make(self.rep, due=dt.date(2026, 3, 10), today=made)
        due_today = make(self.rep, due=TODAY, today=made)
        done_late = make(self.rep, due=dt.date(2026, 3, 5), today=made)
        logic.close_commitment(done_late, by=self.rep, status="done", evidence="x")
        due_a_week_ago = make(self.rep2, due=dt.date(2026, 3, 4), today=made)
        overdue = Commitment.objects.filter(logic.overdue_filter(TODAY))
        self.assertEqual(set(overdue), {due_yesterday, due_a_week_ago})
        self.assertFalse(logic.is_overdue(due_today, TODAY))

    def test_the_list_marks_overdue_ones_for_the_owner_and_the_manager(self):
        make(self.rep, due=dt.date(2026, 3, 4), today=dt.date(2026, 3, 2), text="Send the proposal")
        for who in (self.rep, self.manager):
            self.login(who)
            response = self.client.get(reverse("commitments"))
            self.assertContains(response, "Send the proposal")
            self.assertContains(response, "Overdue by 7 days")
            self.assertEqual(response.context["counts"], {"open": 1, "overdue": 1})
        self.login(self.rep)
        response = self.client.get(reverse("commitments") + "?status=overdue")
        self.assertEqual(len(response.context["page"].object_list), 1)


class CommitmentPageTests(BaseTestCase):
    def post_new(self, who, **overrides):
        self.login(who)
        data = {"owner": who.pk, "text": "Book two demos", "due_on": "2026-03-20"}
        data.update(overrides)
        return self.client.post(reverse("commitment_new"), data)

    @time_machine.travel(NOON, tick=False)
    def test_the_form_refuses_a_missing_or_past_due_date_on_the_field_and_saves_nothing(self):
        response = self.post_new(self.rep, due_on="")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.context["form"].errors["due_on"],
            ["Give a due date: a commitment without one is not accountable."],
        )
        response = self.post_new(self.rep, due_on="2026-03-01")
        self.assertEqual(
            response.context["form"].errors["due_on"],
            ["The due date is before the day it is made."],
        )
        response = self.post_new(self.rep, due_on="9999-12-31")
        self.assertIn("due_on", response.context["form"].errors)
        self.assertFalse(Commitment.objects.exists())

    @time_machine.travel(NOON, tick=False)
    def test_a_manager_makes_one_for_a_report_but_not_for_another_team(self):
        response = self.post_new(self.manager, owner=self.rep.pk)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Commitment.objects.get().owner, self.rep)
        response = self.post_new(self.manager, owner=self.other_rep.pk)
        self.assertIn("owner", response.context["form"].errors)
        response = self.post_new(self.rep, owner=self.rep2.pk)
        self.assertIn("owner", response.context["form"].errors)
        self.assertEqual(Commitment.objects.count(), 1)

    @time_machine.travel(NOON, tick=False)
    def test_from_a_meeting_it_goes_back_to_a_safe_next_only(self):
        meeting = Meeting.objects.create(
            organisation=self.org, manager=self.manager, rep=self.rep, scheduled_at=NOON
        )
        self.login(self.manager)
        url = reverse("commitment_new") + f"?meeting={meeting.pk}&owner={self.rep.pk}&next=/me/"
        response = self.client.get(url)
        self.assertEqual(response.context["form"].initial["owner"], self.rep.pk)
        response = self.client.post(
            url, {"owner": self.rep.pk, "text": "x", "due_on": "2026-03-12"}
        )
        self.assertRedirects(response, "/me/", fetch_redirect_response=False)
        self.assertEqual(Commitment.objects.get().meeting, meeting)
        evil = reverse("commitment_new") + f"?meeting={meeting.pk}&next=https://evil.test/"
        response = self.client.post(
            evil, {"owner": self.rep.pk, "text": "y", "due_on": "2026-03-12"}
        )
        self.assertRedirects(response, reverse("commitments"), fetch_redirect_response=False)
        # Rob is not in the meeting's pair: not a choice; and Otto is not in it at all.
        response = self.client.post(
            url, {"owner": self.rep2.pk, "text": "z", "due_on": "2026-03-12"}
        )
        self.assertIn("owner", response.context["form"].errors)
        self.login(self.other_manager)
        self.assertEqual(self.client.get(url).status_code, 403)

    @time_machine.travel(NOON, tick=False)
    def test_edit_and_close_pages_are_for_the_owner_and_those_above_only(self):
        commitment = make(self.rep)
        edit = reverse("commitment_edit", args=[commitment.pk])
        close = reverse("commitment_close", args=[commitment.pk])
        for who, code in [
            (self.rep, 200),
            (self.manager, 200),
            (self.leader, 200),
            (self.rep2, 404),
            (self.other_manager, 404),
            (self.outsider, 404),
        ]:
            self.login(who)
            with self.subTest(who=who.name):
                self.assertEqual(self.client.get(edit).status_code, code)
                self.assertEqual(self.client.get(close).status_code, code)
        self.client.logout()
        self.assertEqual(self.client.get(edit).status_code, 302)

    @time_machine.travel(NOON, tick=False)
    def test_closing_as_done_without_evidence_is_a_field_error(self):
        commitment = make(self.rep)
        self.login(self.rep)
        close = reverse("commitment_close", args=[commitment.pk])
        response = self.client.post(close, {"status": "done", "evidence": ""})
        self.assertEqual(
            response.context["form"].errors["evidence"], ["Say what shows it is done."]
        )
        response = self.client.post(
            close, {"status": "done", "evidence": "Demo booked for Tuesday"}
        )
        self.assertEqual(response.status_code, 302)
        commitment.refresh_from_db()
        self.assertEqual(commitment.evidence, "Demo booked for Tuesday")

    @time_machine.travel(NOON, tick=False)
    def test_the_list_shows_each_viewer_only_what_they_may_see(self):
        mine = make(self.rep, text="Rita's own")
        make(self.rep2, text="Rob's own")
        make(self.other_rep, text="Olga's own")
        seen = {
            self.rep: {"Rita's own"},
            self.rep2: {"Rob's own"},
            self.manager: {"Rita's own", "Rob's own"},
            self.other_manager: {"Olga's own"},
            self.leader: {"Rita's own", "Rob's own", "Olga's own"},
            self.admin: {"Rita's own", "Rob's own", "Olga's own"},
            self.outsider: set(),
        }
        for who, texts in seen.items():
            self.login(who)
            response = self.client.get(reverse("commitments"))
            with self.subTest(who=who.name):
                self.assertEqual({c.text for c in response.context["page"]}, texts)
        self.login(self.manager)
        response = self.client.get(reverse("commitments") + f"?person={self.rep.pk}")
        self.assertEqual(list(response.context["page"]), [mine])

    @time_machine.travel(NOON, tick=False)
    def test_the_managers_list_costs_the_same_queries_for_two_or_twenty_commitments(self):
        for n in range(2):
            make(self.rep, text=f"a{n}")
        self.login(self.manager)
        self.client.get(reverse("commitments"))  # warm the session and metric caches
        with self.assertNumQueries(11) as few:
            self.client.get(reverse("commitments"))
        for n in range(20):
            make(self.rep2 if n % 2 else self.rep, text=f"b{n}")
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(reverse("commitments"))
