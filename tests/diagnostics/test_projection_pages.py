"""Right time from the database: the facts gathered, right_time's findings and queries, the
page and the API with who may see what."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from followthrough.crm.models import Account, Activity, Deal
from followthrough.diagnostics import projection as pj
from followthrough.diagnostics.findings import Status
from followthrough.lib.periods import PeriodKind, period_of
from followthrough.metrics import rollups
from followthrough.people.lines import today_for
from tests.cast import BaseTestCase

AS_OF = dt.date(2025, 8, 31)
FIRST = dt.date(2024, 12, 1)


def months():
    day = FIRST
    while day <= AS_OF:
        yield day
        day = (day + dt.timedelta(days=32)).replace(day=1)


class ProjectionFactsMixin:
    @classmethod
    def build_history(cls):
        """Dec 2024 - Aug 2025: each month Rita, Rob and Olga make 10 cold calls on a new
        account on the 5th and open two new-business deals on it on the 10th; one of the
        two is won on the 15th two months later. Rob also gets one inbound deal a month
        (no account, no touch). In August Rita makes 2 calls only."""
        org, n = cls.org, 0
        activities, deals = [], []
        for person in (cls.rep, cls.rep2, cls.other_rep):
            for month in months():
                n += 1
                account = Account.objects.create(
                    organisation=org, source="t", external_id=f"acc{n}", name=f"A{n}"
                )
                calls = 2 if person == cls.rep and month.month == 8 and month.year == 2025 else 10
                day = month.replace(day=5)
                for i in range(calls):
                    activities.append(
                        Activity(
                            organisation=org,
                            source="t",
                            external_id=f"a{n}-{i}",
                            owner=person,
                            type="call",
                            is_cold=True,
                            occurred_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC),
                            occurred_on=day,
                            account=account,
                        )
                    )
                won_on = (month + dt.timedelta(days=64)).replace(day=15)
                for i, outcome in enumerate(("won", "lost")):
                    closed = won_on if outcome == "won" else month.replace(day=20)
                    if closed > AS_OF:
                        outcome, closed = "open", None
                    deals.append(
                        Deal(
                            organisation=org,
                            source="t",
                            external_id=f"d{n}-{i}",
                            owner=person,
                            account=account,
                            deal_type="new_business",
                            created_on=month.replace(day=10),
                            close_on=closed,
                            outcome=outcome,
                        )
                    )
                if person == cls.rep2:
                    deals.append(
                        Deal(
                            organisation=org,
                            source="t",
                            external_id=f"in{n}",
                            owner=person,
                            deal_type="new_business",
                            created_on=month.replace(day=12),
                        )
                    )
        Activity.objects.bulk_create(activities)
        Deal.objects.bulk_create(deals)
        rollups.rebuild(org.pk)  # bulk inserts skip the rollups the metric engine reads


class RightTimeTests(ProjectionFactsMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.build_history()

    def test_the_facts_carry_the_touch_that_opened_each_deal(self):
        facts = pj.gather(self.org, [self.rep.pk, self.rep2.pk], AS_OF)
        aug = pj.month_index(AS_OF)
        rita = [d for d in facts.deals if d[0] == self.rep.pk]
        # 9 months × 2 deals, each touched the month it was created; the won one of June
        # is won in August, the won one of July is not (September is after the day).
        self.assertEqual(len(rita), 18)
        self.assertTrue(all(touched == created for _o, created, _w, touched in rita))
        self.assertEqual(
            sorted(w for _o, c, w, _t in rita if c >= aug - 2 and w is not None), [aug]
        )
        rob_inbound = [d for d in facts.deals if d[0] == self.rep2.pk and d[3] is None]
        self.assertEqual(len(rob_inbound), 9)
        self.assertEqual(facts.prospecting[self.rep.pk][aug], 2)
        self.assertEqual(facts.prospecting[self.rep2.pk][aug], 10)

    def test_rita_who_slipped_in_august_is_flagged_and_rob_is_not(self):
        month = period_of(PeriodKind.MONTH, AS_OF)
        found = pj.right_time(self.org, [self.rep, self.rep2], month, AS_OF)
        rita, rob = found[self.rep.pk], found[self.rep2.pk]
        self.assertIn(rita.status, (Status.WATCH, Status.HELP))
        self.assertGreater(rita.gap, 0)
        self.assertIn("August 2025", rita.reasons[0].text)
        self.assertEqual(rob.status, Status.OK)
        self.assertEqual(rob.gap, 0)
        # Judged as of the end of an earlier month, before the slip: no flag.
        june = period_of(PeriodKind.MONTH, dt.date(2025, 6, 1))
        self.assertEqual(
            pj.right_time(self.org, [self.rep], june, AS_OF)[self.rep.pk].status, Status.OK
        )

    def test_facts_gathered_once_judge_an_earlier_month_as_they_were_known_then(self):
        """The nightly run gathers as of today and judges last month on those facts cut at
        its end: the same findings as gathering as of that month's end."""
        ids = [self.rep.pk, self.rep2.pk]
        shared = pj.gather(self.org, ids, AS_OF)
        for start in (dt.date(2025, 6, 1), dt.date(2025, 7, 1)):
            month = period_of(PeriodKind.MONTH, start)
            alone = pj.right_time(self.org, [self.rep, self.rep2], month, AS_OF)
            with CaptureQueriesContext(connection) as reused:
                cut = pj.right_time(self.org, [self.rep, self.rep2], month, AS_OF, shared)
            self.assertFalse(any("crm_deal" in q["sql"] for q in reused.captured_queries))
            for pid in ids:
                self.assertEqual(cut[pid].status, alone[pid].status)
                self.assertEqual(cut[pid].gap, alone[pid].gap)
                self.assertEqual(
                    [r.text for r in cut[pid].reasons], [r.text for r in alone[pid].reasons]
                )
        # Not a month end, or people the facts lack: gathered afresh.
        self.assertIsNone(pj.known_at(shared, dt.date(2025, 7, 15), ids))
        self.assertIsNone(pj.known_at(shared, AS_OF, [*ids, self.other_rep.pk]))

    def test_too_little_history_is_unknown_not_an_error(self):
        month = period_of(PeriodKind.MONTH, dt.date(2025, 2, 1))
        found = pj.right_time(self.org, [self.rep], month, AS_OF)
        self.assertEqual(found[self.rep.pk].status, Status.UNKNOWN)
        self.assertIsNone(found[self.rep.pk].gap)

    def test_right_time_and_project_teams_take_a_fixed_number_of_queries(self):
        month = period_of(PeriodKind.MONTH, AS_OF)
        pj.right_time(self.org, [self.rep], month, AS_OF)  # the metric catalog, cached
        with CaptureQueriesContext(connection) as one:
            pj.right_time(self.org, [self.rep], month, AS_OF)
        with self.assertNumQueries(len(one)):
            pj.right_time(self.org, [self.rep, self.rep2, self.other_rep], month, AS_OF)
        with CaptureQueriesContext(connection) as few:
            pj.project_teams(self.org, [self.team], AS_OF)
        with self.assertNumQueries(len(few)):
            pj.project_teams(self.org, [self.team, self.other_team, self.region], AS_OF)
        # Deals counted, deals listed, cold touches; the engine's shared-credit probe.
        self.assertEqual(len(one), 14)
        self.assertLessEqual(len(few), 20)

    def test_the_team_projection_and_its_backtest(self):
        found = pj.project_teams(self.org, [self.team], AS_OF)[self.team.pk]
        self.assertEqual([r.person for r in found.reps][0], self.rep)  # largest gap first
        self.assertEqual(len(found.months), pj.PAST_SHOWN + pj.HORIZON)
        # Backtested from May (six months of data) to July, up to three months ahead
        # within August: May +1..+3, June +1..+2, July +1.
        self.assertEqual(len(found.backtest.rows), 6)
        self.assertIsNotNone(found.backtest.mae)


class ProjectionAccessTests(BaseTestCase):
    url = "/early-warnings/projection/"
    api = "/api/v1/diagnostics/projection/"

    def test_a_rep_sees_their_own_projection_only(self):
        self.login(self.rep)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "My projection")
        self.assertNotContains(response, "Rob")
        self.assertEqual(self.client.get(f"{self.url}?team={self.team.pk}").status_code, 200)
        self.assertEqual(self.client.get(f"{self.url}?team={self.other_team.pk}").status_code, 404)
        data = self.client.get(self.api).json()
        self.assertEqual([item["id"] for item in data], [self.team.pk])
        self.assertTrue(data[0]["personal"])
        self.assertEqual([r["person"] for r in data[0]["reps"]], [self.rep.pk])
        self.assertEqual(data[0]["backtest"]["rows"], [])
        self.assertEqual(self.client.get(f"{self.api}?team={self.other_team.pk}").status_code, 404)

    def test_a_manager_sees_their_team_and_not_another(self):
        self.login(self.manager)
        response = self.client.get(f"{self.url}?team={self.team.pk}")
        self.assertContains(response, "Rita")
        self.assertContains(response, "Rob")
        self.assertContains(response, "Track record")
        self.assertEqual(self.client.get(f"{self.url}?team={self.other_team.pk}").status_code, 404)
        item = self.client.get(f"{self.api}?team={self.team.pk}").json()[0]
        self.assertEqual(item["url"], f"http://testserver{self.api}{self.team.pk}/")
        self.assertIn("backtest", item)
        self.assertEqual(self.client.get(item["url"]).status_code, 200)
        self.login(self.other_manager)
        self.assertEqual(self.client.get(f"{self.url}?team={self.team.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{self.api}{self.team.pk}/").status_code, 404)

    def test_the_leader_sees_the_region_and_its_teams(self):
        self.login(self.leader)
        data = self.client.get(self.api).json()
        self.assertEqual(
            {item["id"] for item in data}, {self.region.pk, self.team.pk, self.other_team.pk}
        )
        self.assertEqual(self.client.get(f"{self.url}?team={self.region.pk}").status_code, 200)

    def test_an_outsider_and_bad_input(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"{self.url}?team={self.team.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{self.api}{self.team.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{self.api}?team={self.team.pk}").status_code, 404)
        response = self.client.get(f"{self.api}?team=abc")
        self.assertEqual(response.status_code, 400)
        self.assertIn("team", response.json())
        self.assertEqual(self.client.get(f"{self.url}?team=abc").status_code, 404)

    def test_anonymous_is_sent_to_log_in(self):
        self.assertEqual(self.client.get(self.url).status_code, 302)
        self.assertIn(self.client.get(self.api).status_code, (401, 403))

    def test_the_schema_lists_the_projection(self):
        self.login(self.admin)
        schema = self.client.get("/api/schema/").content.decode()
        self.assertIn("/api/v1/diagnostics/projection/{id}/", schema)
        self.assertIn("beats_baseline", schema)
        self.assertTrue(today_for(self.org))

    def test_the_chart_coordinates_are_not_localised(self):
        import re

        self.login(self.manager)
        self.client.cookies["django_language"] = "nl"
        html = self.client.get(f"{self.url}?team={self.team.pk}").content.decode()
        self.assertIn("Prognose", html)
        self.assertIn('class="pj-chart"', html)
        self.assertIsNone(re.search(r'(?:x|y|x1|y1|width|height)="[0-9]+,[0-9]', html))
        self.assertIsNone(re.search(r'points="[^"]*[0-9],[0-9]+,', html))
