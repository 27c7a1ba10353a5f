"""Notifications: one person's, counted unread, marked read by them only."""

from __future__ import annotations

from django.urls import reverse

from followthrough.coaching import notifications as notes
from followthrough.coaching import problems as stuck
from followthrough.coaching.models import Notification
from tests.cast import BaseTestCase


class NotificationTests(BaseTestCase):
    def test_the_manager_sees_the_reps_problem_with_an_unread_count(self):
        stuck.raise_problem(by=self.rep, rep=self.rep, text="Procurement wants a new quote")
        self.login(self.manager)
        response = self.client.get(reverse("notifications"))
        self.assertEqual(response.context["unread"], 1)
        self.assertContains(response, "Rita is stuck and asks for your help.")
        self.assertContains(response, "Procurement wants a new quote")

    def test_opening_marks_it_read_and_goes_to_the_problem(self):
        problem = stuck.raise_problem(by=self.rep, rep=self.rep, text="x")
        note = Notification.objects.get()
        self.login(self.manager)
        response = self.client.post(reverse("notification_read", args=[note.pk]))
        self.assertRedirects(
            response, reverse("problems") + f"#problem-{problem.pk}", fetch_redirect_response=False
        )
        self.assertEqual(notes.unread_count(self.manager), 0)

    def test_nobody_else_reads_or_marks_it(self):
        stuck.raise_problem(by=self.rep, rep=self.rep, text="x")
        note = Notification.objects.get()
        for who in (self.rep, self.rep2, self.leader, self.admin, self.outsider):
            self.login(who)
            with self.subTest(who=who.name):
                response = self.client.post(reverse("notification_read", args=[note.pk]))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self.client.get(reverse("notifications")).context["unread"], 0)
        note.refresh_from_db()
        self.assertIsNone(note.read_at)

    def test_mark_all_read(self):
        for text in ("a", "b"):
            stuck.raise_problem(by=self.rep, rep=self.rep, text=text)
        self.login(self.manager)
        self.client.post(reverse("notifications"))
        self.assertEqual(notes.unread_count(self.manager), 0)
