""" "I'm stuck": raised by the rep only, sent to their manager at once, said to be good practice."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followthrough.coaching import problems as stuck
from followthrough.coaching.models import Notification, NotificationKind, Problem, ProblemStatus
from followthrough.goals.models import Goal
from tests.cast import BaseTestCase
from tests.metrics.helpers import activity, deal

NOON = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)


@time_machine.travel(NOON, tick=False)
class RaisingTests(BaseTestCase):
    def test_the_rep_raises_a_problem_on_a_deal_and_the_manager_is_notified_at_once(self):
        big = deal(self.org, self.rep, created=dt.date(2026, 2, 1), name="Van Dijk Logistics")
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, deal=big, text="Legal is silent")
        self.assertEqual((problem.manager, problem.status), (self.manager, ProblemStatus.OPEN))
        note = Notification.objects.get()
        self.assertEqual(
            (note.recipient, note.actor, note.kind, note.excerpt),
            (self.manager, self.rep, NotificationKind.PROBLEM_RAISED, "Legal is silent"),
        )
        self.assertEqual(list(stuck.open_problems_for(self.manager)), [problem])

    def test_without_words_it_still_goes_through(self):
        big = deal(self.org, self.rep, name="Van Dijk Logistics")
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, deal=big)
        self.assertEqual(problem.text, "I'm stuck on the deal Van Dijk Logistics.")

    def test_nobody_raises_a_problem_for_someone_else(self):
        for who in (self.rep2, self.manager, self.leader, self.admin, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                stuck.raise_problem(by=who, rep=self.rep, text="x")
        self.assertFalse(Problem.objects.exists())

    def test_only_the_reps_own_deals_and_goals(self):
        robs = deal(self.org, self.rep2, name="Rob's deal")
        goal = Goal.objects.create(
            organisation=self.org,
            person=self.rep2,
            metric_key="deals_won",
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
            target=3,
        )
        with self.assertRaises(ValidationError) as refused:
            stuck.raise_problem(by=self.rep, rep=self.rep, deal=robs)
        self.assertIn("deal", refused.exception.error_dict)
        with self.assertRaises(ValidationError) as refused:
            stuck.raise_problem(by=self.rep, rep=self.rep, goal=goal)
        self.assertIn("goal", refused.exception.error_dict)
        self.assertFalse(Notification.objects.exists())

    def test_raised_early_is_said_to_be_good_never_marked_red(self):
        big = deal(self.org, self.rep, created=dt.date(2026, 2, 1), name="Van Dijk")
        activity(self.org, self.rep, dt.date(2026, 3, 9), deal=big)
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, deal=big)
        early = stuck.earliness(problem, stuck.quiet_since([problem])[big.pk])
        self.assertEqual(early.days, 2)
        self.assertTrue(early.early)
        self.assertEqual(
            early.text, "Raised 2 days after the deal went quiet: good, that is early."
        )

    def test_the_manager_or_the_rep_resolves_it_with_words(self):
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, text="stuck")
        with self.assertRaises(ValidationError):
            stuck.resolve_problem(problem, by=self.manager, resolution=" ")
        for who in (self.rep2, self.other_manager, self.outsider):
            with self.subTest(who=who.name), self.assertRaises(PermissionDenied):
                stuck.resolve_problem(problem, by=who, resolution="done")
        stuck.resolve_problem(problem, by=self.manager, resolution="We called legal together.")
        problem.refresh_from_db()
        self.assertEqual(problem.status, ProblemStatus.RESOLVED)


@time_machine.travel(NOON, tick=False)
class StuckPageTests(BaseTestCase):
    def test_two_clicks_from_the_scorecard_the_button_then_tell_my_manager(self):
        self.login(self.rep)
        scorecard = self.client.get(reverse("me"))
        self.assertContains(scorecard, f'href="{reverse("problem_new")}"')
        self.assertEqual(self.client.get(reverse("problem_new")).status_code, 200)
        response = self.client.post(reverse("problem_new"), {"text": "", "deal": "", "goal": ""})
        self.assertRedirects(response, reverse("problems"), fetch_redirect_response=False)
        self.assertEqual(Problem.objects.get().manager, self.manager)
        page = self.client.get(reverse("problems"))
        self.assertContains(page, "Raising a problem early is good practice.")

    def test_the_button_is_not_on_someone_elses_scorecard(self):
        self.login(self.manager)
        response = self.client.get(reverse("person_scorecard", args=[self.rep.pk]))
        self.assertNotContains(response, reverse("problem_new"))

    def test_a_deal_of_someone_else_is_a_field_error(self):
        robs = deal(self.org, self.rep2, name="Rob's deal")
        self.login(self.rep)
        response = self.client.post(reverse("problem_new"), {"deal": robs.pk})
        self.assertEqual(response.status_code, 400)
        self.assertIn("deal", response.context["form"].errors)
        self.assertFalse(Problem.objects.exists())

    def test_who_sees_a_problem_and_who_may_resolve_it(self):
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, text="Rita is stuck")
        for who, sees in [
            (self.rep, True),
            (self.manager, True),
            (self.leader, True),
            (self.admin, True),
            (self.rep2, False),
            (self.other_manager, False),
            (self.outsider, False),
        ]:
            self.login(who)
            with self.subTest(who=who.name):
                response = self.client.get(reverse("problems"))
                self.assertEqual(problem in list(response.context["page"]), sees)
        url = reverse("problem_resolve", args=[problem.pk])
        for who, code in [(self.rep2, 404), (self.other_manager, 404), (self.outsider, 404)]:
            self.login(who)
            self.assertEqual(self.client.post(url, {"resolution": "x"}).status_code, code)
        self.login(self.manager)
        self.client.post(url, {"resolution": "Called legal together"})
        problem.refresh_from_db()
        self.assertEqual(problem.resolution, "Called legal together")
