"""One demo organisation for every digest test: its build is the expensive part, so the
checks are mixins that one TestCase class (tests/notify/test_on_demo.py) runs together."""

from __future__ import annotations

from django.test import TestCase

from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.notify import digests, weekly
from followthrough.notify.models import Delivery
from followthrough.people.lines import today_for
from followthrough.people.models import Person
from tests.smtp import Mailbox, serving


class DigestTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(reps=MIN_REPS, months=3)
        cls.week = digests.week_of(today_for(cls.org))
        cls.people = {p.name: p for p in Person.objects.filter(organisation=cls.org)}

    def setUp(self) -> None:
        self.mailbox = Mailbox()
        controller, email_settings = serving(self.mailbox)
        email_settings.enable()
        self.addCleanup(controller.stop)
        self.addCleanup(email_settings.disable)

    def send(self) -> dict:
        weekly.plan_digests(self.org, self.week)
        return weekly.send_digests(self.org, self.week)

    def this_week(self):
        return Delivery.objects.filter(organisation=self.org, key=weekly.digest_key(self.week))

    def message_to(self, name: str):
        [message] = self.mailbox.to(self.people[name].email)
        return message
