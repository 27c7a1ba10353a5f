"""The facts API: deals and activities, read-only, each person's as the pages allow."""

from __future__ import annotations

import datetime as dt

from followthrough.crm.credit import resolve_shares
from followthrough.crm.models import Deal
from tests.cast import BaseTestCase
from tests.metrics.helpers import activity, deal

DEALS, ACTIVITIES = "/api/v1/deals/", "/api/v1/activities/"
MARCH_2 = dt.date(2026, 3, 2)


class FactsApiTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ritas = deal(
            cls.org, cls.rep, created=MARCH_2, closed=MARCH_2, outcome="won", amount=100
        )
        cls.robs = deal(cls.org, cls.rep2, created=MARCH_2, closed=dt.date(2026, 4, 1), amount=50)
        cls.pair = deal(cls.org, cls.rep2, co_owner=cls.rep, closed=MARCH_2, outcome="lost")
        resolve_shares(cls.org.pk, Deal.objects.filter(pk=cls.pair.pk))
        cls.olgas = deal(cls.org, cls.other_rep, closed=MARCH_2, outcome="won", amount=10)
        cls.call = activity(cls.org, cls.rep, MARCH_2, type="call")
        cls.email = activity(cls.org, cls.rep2, MARCH_2, type="email")
        deal(cls.outsider.organisation, cls.outsider, closed=MARCH_2, outcome="won")

    def ids(self, who, url):
        self.login(who)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def test_a_rep_sees_their_own_deals_and_those_they_co_own(self):
        self.assertEqual(self.ids(self.rep, DEALS), [self.ritas.pk, self.pair.pk])
        self.assertEqual(self.ids(self.rep, ACTIVITIES), [self.call.pk])
        body = self.client.get(f"{DEALS}{self.pair.pk}/").json()
        self.assertEqual((body["owner_name"], body["co_owner_name"]), ("Rob", "Rita"))
        self.assertEqual(body["co_owner_percent"], 50)
        self.assertTrue(body["url"].endswith(f"{DEALS}{self.pair.pk}/"))

    def test_a_manager_sees_their_reports_and_an_admin_the_organisation(self):
        mine = {self.ritas.pk, self.robs.pk, self.pair.pk}
        self.assertEqual(set(self.ids(self.manager, DEALS)), mine)
        self.assertEqual(set(self.ids(self.admin, DEALS)), mine | {self.olgas.pk})
        self.assertEqual(set(self.ids(self.leader, DEALS)), mine | {self.olgas.pk})
        self.assertEqual(self.ids(self.other_manager, DEALS), [self.olgas.pk])
        self.assertEqual(set(self.ids(self.manager, ACTIVITIES)), {self.call.pk, self.email.pk})

    def test_filters(self):
        self.assertEqual(self.ids(self.manager, f"{DEALS}?outcome=won"), [self.ritas.pk])
        self.assertEqual(
            self.ids(self.manager, f"{DEALS}?from=2026-03-01&until=2026-03-31"),
            [self.ritas.pk, self.pair.pk],
        )
        self.assertEqual(
            self.ids(self.manager, f"{DEALS}?person={self.rep.pk}"), [self.ritas.pk, self.pair.pk]
        )
        self.assertEqual(self.ids(self.manager, f"{DEALS}?person=nobody"), [])
        self.assertEqual(self.ids(self.manager, f"{ACTIVITIES}?type=email"), [self.email.pk])

    def test_bad_filters_are_field_errors(self):
        self.login(self.manager)
        for url, field in (
            (f"{DEALS}?outcome=maybe", "outcome"),
            (f"{DEALS}?from=March", "from"),
            (f"{DEALS}?from=2026-04-01&until=2026-03-01", "until"),
            (f"{ACTIVITIES}?type=telegram", "type"),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 400, url)
            self.assertIn(field, response.json(), url)

    def test_refusals(self):
        self.login(self.rep)
        self.assertEqual(self.client.get(f"{DEALS}{self.robs.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{ACTIVITIES}{self.email.pk}/").status_code, 404)
        self.assertEqual(
            self.client.post(DEALS, {}, content_type="application/json").status_code, 405
        )
        self.login(self.outsider)
        self.assertEqual(self.client.get(f"{DEALS}{self.ritas.pk}/").status_code, 404)
        self.assertEqual(len(self.ids(self.outsider, DEALS)), 1)
        self.client.logout()
        self.assertIn(self.client.get(DEALS).status_code, (401, 403))
