"""Facts without an owner count for the organisation: its export row and dashboard summary.

January 2024 at Acme: Rita won one deal of 1,000; three deals were lost and two
leads created with no owner. The organisation won 1 of 4 closed (win rate 0.25)
while Rita's own win rate is 1 and she lost nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

from followthrough.lib.periods import Period
from followthrough.metrics import engine
from followthrough.metrics.totals import ORGANISATION, UNASSIGNED, compute_organisation
from followthrough.scorecards.dashboard import build_dashboard
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal, lead

D = dt.date
JANUARY = Period(D(2024, 1, 1), D(2024, 1, 31))
KEYS = ["deals_won", "deals_lost", "win_rate", "leads_created"]


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("metrics", "export", *args, stdout=out)
    return out.getvalue()


class OrganisationFiguresTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        won = {"created": D(2024, 1, 2), "closed": D(2024, 1, 10), "outcome": "won"}
        deal(cls.org, cls.rep, amount=1000, **won)
        for day in (11, 12, 13):
            deal(cls.org, None, created=D(2024, 1, 2), closed=D(2024, 1, day), outcome="lost")
        lead(cls.org, None, created=D(2024, 1, 5))
        lead(cls.org, None, created=D(2024, 1, 6))
        deal(cls.other_org, None, created=D(2024, 1, 2), closed=D(2024, 1, 9), outcome="lost")

    def args(self, *more: str) -> list[str]:
        return ["--from", "2024-01-01", "--to", "2024-01-31", "--organisation", "acme", *more]

    def test_the_organisation_figure_includes_ownerless_facts(self):
        results = compute_organisation(self.org, KEYS, [JANUARY])
        whole = [results.get(ORGANISATION, k, JANUARY).value for k in KEYS]
        self.assertEqual(whole, [1, 3, Decimal("0.25"), 2])
        ownerless = [results.get(UNASSIGNED, k, JANUARY).value for k in KEYS]
        self.assertEqual(ownerless, [0, 3, 0, 2])

    def test_people_keep_their_own_figures(self):
        results = engine.compute(self.org, KEYS, [JANUARY], [self.rep.pk])
        self.assertEqual([results.get(self.rep.pk, k, JANUARY).value for k in KEYS], [1, 0, 1, 0])

    def test_the_export_by_organisation_has_one_row_per_metric(self):
        lines = export(*self.args(*[f"--metric={k}" for k in KEYS], "--by", "organisation"))
        self.assertEqual(
            lines.splitlines(),
            [
                "organisation,metric,value",
                "acme,deals_won,1",
                "acme,deals_lost,3",
                "acme,win_rate,0.25",
                "acme,leads_created,2",
            ],
        )

    def test_the_json_export_by_organisation_names_the_organisation(self):
        data = json.loads(
            export(*self.args("--metric", "win_rate", "--by", "organisation", "--format", "json"))
        )
        self.assertEqual(data, [{"organisation": "acme", "metric": "win_rate", "value": 0.25}])

    def test_an_admin_sees_the_organisation_total_and_its_ownerless_part(self):
        board = build_dashboard(self.admin, self.region, KEYS, JANUARY, today=D(2024, 6, 1))
        self.assertTrue(board.summary.organisation)
        self.assertEqual(list(board.summary.values), [1, 3, Decimal("0.25"), 2])
        self.assertEqual(list(board.summary.unassigned), [0, 3, 0, 2])

    def test_a_leader_sees_the_totals_of_their_subtree_without_ownerless_facts(self):
        board = build_dashboard(self.leader, self.region, KEYS, JANUARY, today=D(2024, 6, 1))
        self.assertFalse(board.summary.organisation)
        self.assertEqual(list(board.summary.values), [1, 0, 1, 0])
        self.assertEqual(board.summary.unassigned, ())

    def test_a_manager_gets_no_summary(self):
        board = build_dashboard(self.manager, self.team, KEYS, JANUARY, today=D(2024, 6, 1))
        self.assertIsNone(board.summary)

    def test_the_admins_dashboard_page_shows_the_organisation_rows(self):
        self.login(self.admin)
        url = reverse("team_dashboard", args=[self.team.pk])
        response = self.client.get(url + "?kind=month&date=2024-01-01&metric=deals_lost")
        self.assertContains(response, "Organisation total")
        self.assertContains(response, "of which facts without an owner")
        self.login(self.manager)
        response = self.client.get(url + "?kind=month&date=2024-01-01&metric=deals_lost")
        self.assertNotContains(response, "Organisation total")

    def records(self, who, key: str):
        self.login(who)
        url = reverse("organisation_records", args=[key])
        return self.client.get(url + "?kind=month&date=2024-01-01")

    def test_the_organisation_total_drills_down_to_every_record_ownerless_included(self):
        response = self.records(self.admin, "deals_lost")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["total"], 3)  # the three ownerless lost deals
        self.assertEqual(self.records(self.admin, "leads_created").context["total"], 2)
        # Another organisation's ownerless lost deal is not among them.
        self.assertEqual({r.organisation_id for r in response.context["page"]}, {self.org.pk})

    def test_a_leaders_summary_drills_down_to_their_peoples_records_only(self):
        self.assertEqual(self.records(self.leader, "deals_lost").context["total"], 0)
        self.assertEqual(self.records(self.leader, "deals_won").context["total"], 1)

    def test_managers_and_reps_are_refused_the_organisation_records(self):
        for who in (self.manager, self.rep):
            self.assertEqual(self.records(who, "deals_lost").status_code, 403)
        self.client.logout()
        response = self.client.get(reverse("organisation_records", args=["deals_lost"]))
        self.assertEqual(response.status_code, 302)

    def test_the_summary_cells_link_to_their_records(self):
        self.login(self.admin)
        url = reverse("team_dashboard", args=[self.team.pk])
        response = self.client.get(url + "?kind=month&date=2024-01-01&metric=deals_lost")
        self.assertContains(response, reverse("organisation_records", args=["deals_lost"]))
