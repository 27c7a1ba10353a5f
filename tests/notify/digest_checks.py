"""The weekly digest on the demo organisation, sent over real SMTP to a local server
(run by tests/notify/test_on_demo.py on one demo)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from followthrough.notify import delivery, digests, weekly
from followthrough.notify.models import Delivery, Preference, Status
from followthrough.people.models import Person
from tests.smtp import free_port


class SendingChecks:
    def test_every_recipient_gets_one_digest_and_a_rerun_sends_none(self):
        expected = len(digests.recipients(self.org))
        self.assertGreaterEqual(expected, 10)  # reps, managers and the leader
        self.assertEqual(self.send()["sent"], expected)
        self.assertEqual(len(self.mailbox.messages), expected)
        # A second run, as a second worker or a retried job would: nothing new.
        self.assertEqual(self.send(), {"sent": 0})
        self.assertEqual(len(self.mailbox.messages), expected)
        self.assertEqual(self.this_week().filter(status=Status.SENT).count(), expected)

    def test_the_command_sends_the_week_once_and_a_dry_run_sends_nothing(self):
        out = io.StringIO()
        key = digests.week_key(self.week)
        call_command("digests", "send", "--dry-run", "--week", key, stdout=out)
        self.assertIn("would be sent (dry run)", out.getvalue())
        self.assertEqual(self.mailbox.messages, [])
        call_command("digests", "send", "--week", key, "--organisation", self.org.slug, stdout=out)
        sent = len(self.mailbox.messages)
        self.assertEqual(sent, len(digests.recipients(self.org)))
        out = io.StringIO()
        call_command("digests", "send", "--week", key, stdout=out)
        self.assertIn("nothing to send", out.getvalue())
        self.assertEqual(len(self.mailbox.messages), sent)

    def test_a_server_that_is_down_is_retried_later_and_then_shown_to_admins(self):
        weekly.plan_digests(self.org, self.week)
        with override_settings(EMAIL_PORT=free_port()):  # nothing listens there
            counts = weekly.send_digests(self.org, self.week)
        self.assertEqual(counts["sent"], 0)
        row = self.this_week().first()
        self.assertEqual(row.status, Status.PENDING)
        self.assertIn("ConnectionRefusedError", row.error)
        self.assertIsNotNone(row.next_try_at)
        # Not due yet: a run now sends nothing; once due (and the server up) it is sent.
        self.assertEqual(weekly.send_digests(self.org, self.week), {"sent": 0})
        self.this_week().update(next_try_at=None)
        expected = len(digests.recipients(self.org))
        self.assertEqual(weekly.send_digests(self.org, self.week)["sent"], expected)

        # After the last retry a delivery has failed, with its error, on the admins' page.
        self.this_week().update(status=Status.PENDING, attempts=len(delivery.BACKOFF) + 1)
        with override_settings(EMAIL_PORT=free_port()):
            weekly.send_digests(self.org, self.week)
        self.assertEqual(
            self.this_week().filter(status=Status.FAILED).count(), len(digests.recipients(self.org))
        )
        admin = Person.objects.get(organisation=self.org, email__startswith="ada.admin")
        self.client.force_login(admin.user)
        page = self.client.get(reverse("notify_deliveries") + "?status=failed")
        self.assertContains(page, "ConnectionRefusedError")
        manager = self.people["Maya Manager"]
        self.client.force_login(manager.user)
        self.assertEqual(self.client.get(reverse("notify_deliveries")).status_code, 403)

    def test_a_claim_that_never_finished_is_failed_not_resent(self):
        weekly.plan_digests(self.org, self.week)
        row = self.this_week().first()
        self.assertTrue(delivery.claim(row.pk))
        self.assertFalse(delivery.claim(row.pk))  # a second worker loses
        stale = row.claimed_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        Delivery.objects.filter(pk=row.pk).update(claimed_at=stale)
        weekly.send_digests(self.org, self.week)
        row.refresh_from_db()
        self.assertEqual(row.status, Status.FAILED)
        self.assertEqual(self.mailbox.to(row.person.email), [])


class ContentChecks:
    def test_a_rep_reads_their_goals_commitments_next_1_1_and_the_unsubscribe_headers(self):
        self.send()
        message = self.message_to("Ruben Rep")
        self.assertEqual(message["Subject"], f"Your week ahead: {digests.week_key(self.week)}")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertRegex(
            message["List-Unsubscribe"].strip(), r"^<http://.+/notifications/unsubscribe/"
        )
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        self.assertIn("Your goals this month", text)
        self.assertIn("/me/", text)  # links back to the scorecard and the commitments
        self.assertIn("/commitments/", html)
        self.assertIn("Revenue won", text)
        self.assertIn("Next 1:1:", text)
        self.assertIn("Maya Manager", text)
        self.assertNotIn("integrity", text.lower())  # never about the rep, to the rep
        self.assertIn("<table", html)
        # The figures are the engine's: the digest's revenue equals a direct computation.
        built = digests.build_week(self.org, self.week, [self.people["Ruben Rep"]])
        [revenue] = [
            f
            for f in built.reps[self.people["Ruben Rep"].pk].figures
            if f.metric.key == "revenue_won"
        ]
        from followthrough.lib.periods import Period
        from followthrough.metrics import engine

        span = Period(built.month.start, built.as_of)
        direct = engine.compute(self.org, ["revenue_won"], [span], [self.people["Ruben Rep"].pk])
        self.assertEqual(
            revenue.value, direct.get(self.people["Ruben Rep"].pk, "revenue_won", span).value
        )

    def test_a_manager_reads_their_own_reports_only_with_1_1s_and_follow_through(self):
        self.send()
        text = self.message_to("Maya Manager").get_body(("plain",)).get_content()
        manager = self.people["Maya Manager"]
        others = self.people["Otto Keller"]
        built = digests.build_week(self.org, self.week, [manager, others])
        mine = {r.person.name for r in built.managers[manager.pk].reports}
        theirs = {r.person.name for r in built.managers[others.pk].reports}
        self.assertTrue(mine and theirs and not mine & theirs)
        for name in mine:
            self.assertIn(name, text)
        for name in theirs:
            self.assertNotIn(name, text)
        self.assertIn("1:1s this week", text)
        self.assertIn("Your follow-through this month", text)

    def test_the_language_and_time_zone_are_the_recipients(self):
        ruben = self.people["Ruben Rep"]
        Preference.objects.create(
            organisation=self.org, person=ruben, language="nl", timezone="Asia/Shanghai"
        )
        self.send()
        text = self.message_to("Ruben Rep").get_body(("plain",)).get_content()
        built = digests.build_week(self.org, self.week, [ruben])
        meeting = built.reps[ruben.pk].next_meeting
        shanghai = meeting.scheduled_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        self.assertIn(shanghai.strftime("%H:%M"), text)
        self.assertIn("dec", text)  # Dutch month names are lower case: "6 december 2026"
        self.assertNotIn("Dec", text)


class UnsubscribeChecks:
    def unsubscribe_url(self) -> str:
        self.send()
        header = self.message_to("Ruben Rep")["List-Unsubscribe"]
        return header.strip().strip("<>").split("://", 1)[1].split("/", 1)[1].join(["/", ""])

    def test_one_click_post_without_a_session_unsubscribes_and_the_next_week_skips_them(self):
        url = self.unsubscribe_url()
        self.client.enforce_csrf_checks = True
        response = self.client.post(url, {"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        ruben = self.people["Ruben Rep"]
        self.assertFalse(Preference.objects.get(person=ruben).digest)
        next_week = digests.week_of(self.week.end + dt.timedelta(days=1))
        weekly.plan_digests(self.org, next_week)
        self.assertFalse(
            Delivery.objects.filter(person=ruben, key=weekly.digest_key(next_week)).exists()
        )

    def test_opening_the_link_asks_first_and_a_changed_token_is_refused(self):
        url = self.unsubscribe_url()
        page = self.client.get(url)
        self.assertContains(page, "Unsubscribe")
        self.assertFalse(Preference.objects.filter(person=self.people["Ruben Rep"]).exists())
        forged = url.rstrip("/")[:-3] + "abc/"
        self.assertEqual(self.client.post(forged).status_code, 404)

    def test_a_person_turns_the_digest_back_on_in_their_settings(self):
        ruben = self.people["Ruben Rep"]
        self.client.force_login(ruben.user)
        response = self.client.post(
            reverse("notify_settings"),
            {"digest": "on", "reminders": "on", "language": "zh-hans", "timezone": "Nope/Zone"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not a known time zone", status_code=400)
        response = self.client.post(
            reverse("notify_settings"),
            {"digest": "on", "language": "zh-hans", "timezone": "Asia/Shanghai"},
        )
        self.assertRedirects(response, reverse("notify_settings"))
        chosen = Preference.objects.get(person=ruben)
        self.assertEqual(
            (chosen.digest, chosen.reminders, chosen.language), (True, False, "zh-hans")
        )
