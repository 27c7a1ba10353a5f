"""The ladder's pages: opening, reviewing and moving up; who sees what; the leader's usage."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.coaching import ladder
from followthrough.coaching.models import LadderOutcome, LadderStep
from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import START, BaseTestCase, make_person
from tests.coaching.agreement_helpers import step_one, today

DAY = dt.timedelta(days=1)
HUGE = str(2**63)


class LadderPageTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)

    def open_data(self, **overrides) -> dict:
        data = {
            "rep": self.rep.pk,
            "step": "1",
            "started_on": (self.today - 30 * DAY).isoformat(),
            "review_on": (self.today + 10 * DAY).isoformat(),
            "plan": "Two prospecting blocks a week, calls before e-mail.",
            "exit_criteria": "Eight first meetings a month, two months running.",
        }
        data.update(overrides)
        return data

    def test_a_manager_opens_step_one_reviews_it_and_moves_to_step_two(self):
        self.login(self.manager)
        response = self.client.post(reverse("ladder_open"), self.open_data())
        first = LadderStep.objects.get()
        self.assertRedirects(
            response, reverse("ladder_step", args=[first.pk]), fetch_redirect_response=False
        )
        response = self.client.post(
            reverse("ladder_review", args=[first.pk]),
            {
                "reviewed_on": (self.today - 2 * DAY).isoformat(),
                "review": "Calls up, meetings not yet.",
                "decision": "move_up",
            },
        )
        self.assertRedirects(
            response,
            reverse("ladder_open") + f"?rep={self.rep.pk}&step=2",
            fetch_redirect_response=False,
        )
        form = self.client.get(response["Location"]).context["form"]
        self.assertEqual((form.initial["rep"], form.initial["step"]), (self.rep.pk, 2))
        response = self.client.post(
            reverse("ladder_open"), self.open_data(step="2", started_on=self.today.isoformat())
        )
        self.assertEqual(response.status_code, 302)
        first.refresh_from_db()
        second = LadderStep.objects.get(step=2)
        self.assertEqual(
            (first.outcome, second.previous, second.report_interval), ("moved_up", first, "daily")
        )

    def test_staying_on_a_step_may_set_the_next_review(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        self.login(self.manager)
        self.client.post(
            reverse("ladder_review", args=[first.pk]),
            {
                "reviewed_on": self.today.isoformat(),
                "review": "On track.",
                "decision": "stay",
                "next_review_on": (self.today + 14 * DAY).isoformat(),
            },
        )
        first.refresh_from_db()
        self.assertEqual(
            (first.reviewed_on, first.review_on, first.outcome),
            (self.today, self.today + 14 * DAY, "open"),
        )

    def test_leaving_the_ladder_from_the_review(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        self.login(self.manager)
        self.client.post(
            reverse("ladder_review", args=[first.pk]),
            {"reviewed_on": self.today.isoformat(), "review": "Criteria met.", "decision": "leave"},
        )
        first.refresh_from_db()
        self.assertEqual((first.outcome, first.ended_on), (LadderOutcome.LEFT, self.today))

    def test_bad_input_to_the_open_form_gets_field_errors_and_saves_nothing(self):
        cases = [
            ({"step": "2"}, "step"),
            ({"step": "9"}, "step"),
            ({"rep": self.manager.pk}, "rep"),
            ({"rep": self.other_rep.pk}, "rep"),
            ({"rep": self.outsider_rep.pk}, "rep"),
            ({"rep": HUGE}, "rep"),
            ({"rep": "x"}, "rep"),
            ({"review_on": (self.today - 40 * DAY).isoformat()}, "review_on"),
            ({"started_on": "2026-13-40"}, "started_on"),
            ({"started_on": "9999-12-31", "review_on": "9999-12-31"}, "started_on"),
            ({"plan": " "}, "plan"),
            ({"exit_criteria": ""}, "exit_criteria"),
        ]
        self.login(self.manager)
        for overrides, field in cases:
            response = self.client.post(reverse("ladder_open"), self.open_data(**overrides))
            self.assertEqual(response.status_code, 400, overrides)
            self.assertIn(field, response.context["form"].errors, overrides)
        self.assertFalse(LadderStep.objects.exists())

    def test_the_open_form_says_why_a_step_is_refused(self):
        self.login(self.manager)
        errors = (
            self.client.post(reverse("ladder_open"), self.open_data(step="3"))
            .context["form"]
            .errors
        )
        self.assertEqual(errors["step"], ["A rep starts the ladder at step 1, coach and develop."])
        errors = (
            self.client.post(reverse("ladder_open"), self.open_data(rep=self.manager.pk))
            .context["form"]
            .errors
        )
        self.assertEqual(errors["rep"], ["You cannot open a ladder step for yourself."])
        self.login(self.other_manager)
        errors = self.client.post(reverse("ladder_open"), self.open_data()).context["form"].errors
        self.assertEqual(errors["rep"], ["This person does not report to you."])

    def test_bad_input_to_the_review_form_gets_field_errors(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        self.login(self.manager)
        cases = [
            ({"reviewed_on": (self.today + DAY).isoformat()}, "reviewed_on"),
            ({"reviewed_on": "nope"}, "reviewed_on"),
            ({"review": ""}, "review"),
            ({"decision": "promote"}, "decision"),
            ({"next_review_on": (self.today - DAY).isoformat()}, "next_review_on"),
        ]
        for overrides, field in cases:
            data = {
                "reviewed_on": self.today.isoformat(),
                "review": "Fine.",
                "decision": "stay",
                **overrides,
            }
            response = self.client.post(reverse("ladder_review", args=[first.pk]), data)
            self.assertEqual(response.status_code, 400, overrides)
            self.assertIn(field, response.context["form"].errors, overrides)
        first.refresh_from_db()
        self.assertIsNone(first.reviewed_on)

    def test_the_rep_sees_their_own_step_and_plan(self):
        step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        self.login(self.rep)
        response = self.client.get(reverse("ladder"))
        self.assertContains(response, "Two prospecting blocks a week.")
        self.assertContains(response, "Eight first meetings a month")
        self.assertNotContains(response, reverse("ladder_open"))

    def test_a_peer_never_sees_another_reps_step(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        self.login(self.rep2)
        response = self.client.get(reverse("ladder"))
        self.assertNotContains(response, "Two prospecting blocks a week.")
        self.assertContains(response, "You are not on the ladder")
        self.assertEqual(self.client.get(reverse("ladder_step", args=[first.pk])).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("ladder_review", args=[first.pk])).status_code, 403
        )

    def test_who_sees_and_who_reviews_a_step(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        step_url = reverse("ladder_step", args=[first.pk])
        review_url = reverse("ladder_review", args=[first.pk])
        expected = {
            self.rep: (200, 403),
            self.rep2: (403, 403),
            self.manager: (200, 200),
            self.other_manager: (403, 403),
            self.leader: (200, 200),
            self.admin: (200, 403),  # sees the organisation's; acts for those who report to them
            self.outsider: (404, 404),
        }
        found = {}
        for who in expected:
            self.login(who)
            found[who] = (
                self.client.get(step_url).status_code,
                self.client.get(review_url).status_code,
            )
        self.assertEqual(found, expected)

    def test_only_managing_roles_open_the_step_form(self):
        expected = {
            self.rep: 403,
            self.rep2: 403,
            self.manager: 200,
            self.leader: 200,
            self.admin: 200,
        }
        found = {}
        for who in expected:
            self.login(who)
            found[who] = self.client.get(reverse("ladder_open")).status_code
        self.assertEqual(found, expected)
        self.login(self.rep)
        response = self.client.post(reverse("ladder_open"), self.open_data(rep=self.rep2.pk))
        self.assertEqual(response.status_code, 403)
        self.assertFalse(LadderStep.objects.exists())

    def test_the_manager_sees_their_reports_on_the_ladder_in_name_order(self):
        first = step_one(self.manager, self.rep, started=self.today - 60 * DAY)
        ladder.record_review(
            first, by=self.manager, reviewed_on=self.today - 30 * DAY, review="Not yet."
        )
        ladder.open_step(
            by=self.manager,
            rep=self.rep,
            step=2,
            started_on=self.today - 30 * DAY,
            review_on=self.today,
            plan="Plan.",
            exit_criteria="Criteria.",
        )
        step_one(self.manager, self.rep2, started=self.today - 5 * DAY)
        step_one(self.other_manager, self.other_rep, started=self.today - 5 * DAY)
        self.login(self.manager)
        response = self.client.get(reverse("ladder") + "?sort=step&dir=desc")
        self.assertEqual([s.rep.name for s in response.context["reports"]], ["Rita", "Rob"])
        self.login(self.other_manager)
        response = self.client.get(reverse("ladder"))
        self.assertEqual([s.rep.name for s in response.context["reports"]], ["Olga"])

    def test_a_closed_step_is_not_reviewed_again_from_the_page(self):
        first = step_one(self.manager, self.rep, started=self.today - 30 * DAY)
        ladder.record_review(first, by=self.manager, reviewed_on=self.today, review="Done.")
        ladder.leave_ladder(first, by=self.manager, ended_on=self.today)
        self.login(self.manager)
        response = self.client.get(reverse("ladder_review", args=[first.pk]))
        self.assertRedirects(
            response, reverse("ladder_step", args=[first.pk]), fetch_redirect_response=False
        )


class LadderUsagePageTests(BaseTestCase):
    def setUp(self):
        self.today = today(self.org)
        step_one(self.manager, self.rep, started=self.today - 20 * DAY)
        step_one(self.other_manager, self.other_rep, started=self.today - 400 * DAY)

    def test_only_leaders_and_admins_see_the_usage(self):
        expected = {
            self.rep: 403,
            self.rep2: 403,
            self.manager: 403,
            self.other_manager: 403,
            self.leader: 200,
            self.admin: 200,
            self.outsider: 200,
        }
        found = {}
        for who in expected:
            self.login(who)
            found[who] = self.client.get(reverse("ladder_usage")).status_code
        self.assertEqual(found, expected)
        self.login(self.outsider)
        self.assertEqual(self.client.get(reverse("ladder_usage")).context["rows"], [])

    def test_the_usage_counts_steps_per_manager_in_the_chosen_time(self):
        self.login(self.leader)
        response = self.client.get(reverse("ladder_usage"))
        self.assertEqual(
            [(r.manager.name, r.counts) for r in response.context["rows"]],
            [("Maya", [1, 0, 0, 0]), ("Otto", [0, 0, 0, 0])],
        )
        start = (self.today - 500 * DAY).isoformat()
        response = self.client.get(reverse("ladder_usage") + f"?start={start}&end={self.today}")
        self.assertEqual(
            [(r.manager.name, r.counts) for r in response.context["rows"]],
            [("Maya", [1, 0, 0, 0]), ("Otto", [1, 0, 0, 0])],
        )
        self.assertEqual(response.context["totals"], [2, 0, 0, 0])

    def test_bad_dates_get_field_errors(self):
        self.login(self.leader)
        response = self.client.get(reverse("ladder_usage") + "?start=2026-05-01&end=2026-01-01")
        self.assertIn("end", response.context["form"].errors)
        response = self.client.get(reverse("ladder_usage") + "?start=0001-01-01&end=nope")
        self.assertEqual(set(response.context["form"].errors), {"start", "end"})

    def test_the_usage_costs_the_same_queries_for_two_managers_as_for_ten(self):
        self.login(self.leader)

        def count() -> int:
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(reverse("ladder_usage"))
            return len(ctx.captured_queries)

        few = count()
        for i in range(8):
            boss = make_person(self.org, f"Boss{i}", Role.MANAGER, login=False)
            move(boss, manager=self.leader, team=self.team, on=START)
            rep = make_person(self.org, f"Rep{i}", Role.REP, login=False)
            move(rep, manager=boss, team=self.team, on=START)
            step_one(boss, rep, started=self.today - DAY)
        self.assertEqual(count(), few)
        response = self.client.get(reverse("ladder_usage"))
        self.assertEqual(len(response.context["rows"]), 10)
