"""The demo's digests: the patterns notify/demo.py promises are there
(run by tests/notify/test_on_demo.py on one demo)."""

from __future__ import annotations

from followthrough.notify import digests, weekly
from followthrough.notify.demo import REFUSED, REFUSED_ERROR, WEEKS
from followthrough.notify.models import Delivery, Preference, Status
from followthrough.people.lines import today_for


class DemoChecks:
    @property
    def recipients(self):
        return digests.recipients(self.org)

    def test_the_last_four_mondays_were_sent_to_everyone_but_one_refused_address(self):
        rows = Delivery.objects.filter(organisation=self.org)
        self.assertEqual(rows.count(), WEEKS * len(self.recipients))
        [failed] = rows.filter(status=Status.FAILED)
        self.assertEqual((failed.person.name, failed.error), (REFUSED, REFUSED_ERROR))
        self.assertTrue(all(row.created_at.weekday() == 0 for row in rows))

    def test_three_people_chose_their_language_time_zone_or_no_reminders(self):
        chosen = {p.person.name: p for p in Preference.objects.filter(organisation=self.org)}
        self.assertEqual(chosen["Sara Visser"].language, "nl")
        self.assertEqual(chosen["Jonas Weber"].timezone, "Asia/Shanghai")
        self.assertFalse(chosen["Lotte Bakker"].reminders)

    def test_this_weeks_digests_are_still_to_send(self):
        week = digests.week_of(today_for(self.org))
        self.assertEqual(weekly.plan_digests(self.org, week), len(self.recipients))
