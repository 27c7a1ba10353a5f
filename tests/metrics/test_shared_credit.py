"""Shared credit: a deal with a co-owner counts each owner's share (docs/metrics.md).

Every number below is worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.urls import reverse

from followthrough.crm.credit import resolve_shares, set_rule
from followthrough.crm.models import Deal
from followthrough.lib.periods import Period, PeriodKind, period_of
from followthrough.metrics import engine
from followthrough.metrics.rollups import rebuild
from followthrough.metrics.totals import compute_organisation
from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

MARCH = period_of(PeriodKind.MONTH, dt.date(2024, 3, 1))
QUARTER = period_of(PeriodKind.QUARTER, dt.date(2024, 3, 1))
CUT = Period(dt.date(2024, 2, 10), dt.date(2024, 3, 20))  # partial months: read from facts
PERIODS = [MARCH, QUARTER, CUT]
KEYS = ["deals_won", "revenue_won", "deals_created", "pipeline_created", "win_rate", "deals_closed"]
D = Decimal


def shared(org, owner, co_owner, **fields) -> Deal:
    made = deal(org, owner, co_owner=co_owner, **fields)
    resolve_shares(org.pk, Deal.objects.filter(pk=made.pk))
    made.refresh_from_db()
    return made


@time_machine.travel("2024-06-30 12:00", tick=False)
class SharedCreditTests(BaseTestCase):
    def figure(self, person, key, period=MARCH, **options):
        return engine.compute(self.org, [key], [period], [person.pk], **options).get(
            person.pk, key, period
        )

    def both_ways(self, person, key, period=MARCH):
        rolled = self.figure(person, key, period)
        direct = self.figure(person, key, period, use_rollups=False)
        self.assertEqual(rolled, direct)
        return rolled.value

    def test_a_deal_split_50_50_gives_each_half_a_deal_and_half_the_revenue(self):
        made = shared(
            self.org,
            self.rep,
            self.rep2,
            created=dt.date(2024, 3, 2),
            closed=dt.date(2024, 3, 15),
            outcome="won",
            amount=10_000,
        )
        self.assertEqual(made.co_owner_percent, 50)
        for person in (self.rep, self.rep2):
            self.assertEqual(self.both_ways(person, "deals_won"), D("0.5"))
            self.assertEqual(self.both_ways(person, "revenue_won"), D(5000))
            self.assertEqual(self.both_ways(person, "deals_created"), D("0.5"))
            self.assertEqual(self.both_ways(person, "pipeline_created"), D(5000))
            self.assertEqual(self.both_ways(person, "revenue_won", QUARTER), D(5000))
            self.assertEqual(self.both_ways(person, "revenue_won", CUT), D(5000))
            # Half a deal won of half a deal closed: a win rate of 1 (100 %).
            self.assertEqual(self.both_ways(person, "win_rate"), D(1))
        self.assertEqual(self.both_ways(self.other_rep, "deals_won"), D(0))
        self.assertEqual(made.shared_credit, "shared 50/50 with Rob")

    def test_a_team_rule_of_70_30_gives_the_co_owner_30_percent(self):
        set_rule(self.org.pk, self.team.pk, 30)
        shared(
            self.org,
            self.rep,
            self.rep2,
            closed=dt.date(2024, 3, 15),
            outcome="won",
            amount=10_000,
        )
        self.assertEqual(self.both_ways(self.rep, "deals_won"), D("0.7"))
        self.assertEqual(self.both_ways(self.rep, "revenue_won"), D(7000))
        self.assertEqual(self.both_ways(self.rep2, "deals_won"), D("0.3"))
        self.assertEqual(self.both_ways(self.rep2, "revenue_won"), D(3000))

    def test_the_rule_is_inherited_from_the_parent_team_then_the_organisation(self):
        made = shared(self.org, self.rep, self.rep2, closed=dt.date(2024, 3, 15), outcome="won")
        set_rule(self.org.pk, None, 40)
        made.refresh_from_db()
        self.assertEqual(made.co_owner_percent, 40)
        set_rule(self.org.pk, self.region.pk, 25)  # Alpha is part of North
        made.refresh_from_db()
        self.assertEqual(made.co_owner_percent, 25)
        self.assertEqual(self.both_ways(self.rep2, "deals_won"), D("0.25"))
        # The owner's team decides: Olga's team (Beta) has no rule, North's applies too.
        set_rule(self.org.pk, self.team.pk, 10)
        made.refresh_from_db()
        self.assertEqual(made.co_owner_percent, 10)
        self.assertEqual(self.both_ways(self.rep, "deals_won"), D("0.9"))

    def test_a_deal_without_a_co_owner_is_unchanged(self):
        deal(self.org, self.rep, closed=dt.date(2024, 3, 15), outcome="won", amount=10_000)
        resolve_shares(self.org.pk)
        self.assertEqual(self.both_ways(self.rep, "deals_won"), D(1))
        self.assertEqual(self.both_ways(self.rep, "revenue_won"), D(10_000))
        self.assertEqual(self.both_ways(self.rep2, "deals_won"), D(0))

    def test_a_co_owner_who_is_the_owner_shares_nothing(self):
        made = shared(self.org, self.rep, self.rep, closed=dt.date(2024, 3, 15), outcome="won")
        self.assertIsNone(made.co_owner_percent)
        self.assertEqual(self.both_ways(self.rep, "deals_won"), D(1))

    def test_rollups_equal_the_facts_after_a_co_owner_is_set_changed_and_removed(self):
        rebuild(self.org.pk)
        made = deal(self.org, self.rep, closed=dt.date(2024, 3, 15), outcome="won", amount=333.33)
        deal(self.org, self.rep2, closed=dt.date(2024, 3, 1), outcome="won", amount=1000)
        people = [self.rep.pk, self.rep2.pk, self.other_rep.pk]
        set_rule(self.org.pk, None, 30)
        for co_owner in (self.rep2, self.other_rep, None):
            made.co_owner = co_owner
            made.save()
            resolve_shares(self.org.pk)
            rolled = engine.compute(self.org, KEYS, PERIODS, people)
            direct = engine.compute(self.org, KEYS, PERIODS, people, use_rollups=False)
            self.assertEqual(dict(rolled), dict(direct))
            # Shares only move credit: the organisation's totals stay whole.
            whole = compute_organisation(self.org, ["revenue_won", "deals_won"], [MARCH])
            self.assertEqual(whole.get(0, "revenue_won", MARCH).value, D("1333.33"))
            self.assertEqual(whole.get(0, "deals_won", MARCH).value, D(2))
        made.co_owner = self.rep2
        made.save()
        resolve_shares(self.org.pk)
        # 30 % of 333.33 is 99.999: shares are exact, not rounded away.
        self.assertEqual(self.figure(self.rep2, "revenue_won").value, D("1099.999"))
        self.assertEqual(self.figure(self.rep, "revenue_won").value, D("233.331"))

    def test_teams_count_each_members_share(self):
        shared(
            self.org,
            self.rep,
            self.other_rep,
            closed=dt.date(2024, 3, 15),
            outcome="won",
            amount=10_000,
        )
        teams = engine.compute_teams(self.org, ["revenue_won", "deals_won"], [MARCH])
        self.assertEqual(teams.get(self.team.pk, "revenue_won", MARCH).value, D(5000))
        self.assertEqual(teams.get(self.other_team.pk, "revenue_won", MARCH).value, D(5000))
        self.assertEqual(teams.get(self.region.pk, "deals_won", MARCH).value, D(1))

    def test_a_co_owner_sees_the_shared_deal_among_their_records(self):
        shared(
            self.org,
            self.rep,
            self.rep2,
            closed=dt.date(2024, 3, 15),
            outcome="won",
            amount=10_000,
            name="Initech renewal",
        )
        deal(self.org, self.rep, closed=dt.date(2024, 3, 16), outcome="won", name="Rita alone")
        records = engine.facts(self.org, "deals_won", MARCH, [self.rep2.pk])
        self.assertEqual([d.name for d in records], ["Initech renewal"])
        self.login(self.rep2)
        url = reverse("person_records", args=[self.rep2.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2024-03-01")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Initech renewal")
        self.assertContains(response, "shared 50/50 with Rob")
        self.assertNotContains(response, "Rita alone")

    def test_a_rep_of_another_team_does_not_see_the_shared_deal(self):
        shared(self.org, self.rep, self.rep2, closed=dt.date(2024, 3, 15), outcome="won")
        self.login(self.other_rep)
        for person in (self.rep, self.rep2):
            url = reverse("person_records", args=[person.pk, "deals_won"])
            response = self.client.get(url + "?kind=month&date=2024-03-01")
            self.assertIn(response.status_code, (403, 404))

    def test_figures_say_how_many_shared_deals_they_count_a_share_of(self):
        shared(self.org, self.rep, self.rep2, closed=dt.date(2024, 3, 15), outcome="won")
        deal(self.org, self.rep, closed=dt.date(2024, 3, 16), outcome="won")
        people = [self.rep.pk, self.rep2.pk, self.other_rep.pk]
        for use_rollups in (True, False):
            results = engine.compute(
                self.org,
                ["deals_won", "win_rate", "calls"],
                [MARCH],
                people,
                use_rollups=use_rollups,
            )
            self.assertEqual(results.shared(self.rep.pk, "deals_won", MARCH), 1)
            self.assertEqual(results.shared(self.rep2.pk, "win_rate", MARCH), 1)
            self.assertEqual(results.shared(self.other_rep.pk, "deals_won", MARCH), 0)
            self.assertEqual(results.shared(self.rep.pk, "calls", MARCH), 0)

    def test_the_scorecard_says_where_credit_was_shared(self):
        shared(self.org, self.rep, self.rep2, closed=dt.date(2024, 3, 15), outcome="won")
        self.login(self.rep2)
        response = self.client.get(reverse("me") + "?kind=month&date=2024-03-01")
        self.assertContains(response, "Includes a share of 1 shared deal")

    def test_a_team_drill_down_lists_the_deals_its_members_co_own(self):
        shared(
            self.org,
            self.other_rep,
            self.rep,
            closed=dt.date(2024, 3, 15),
            outcome="won",
            name="Shared with Alpha",
        )
        self.login(self.manager)
        url = reverse("team_records", args=[self.team.pk, "deals_won"])
        response = self.client.get(url + "?kind=month&date=2024-03-01")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Shared with Alpha")
        self.assertContains(response, "shared 50/50 with Rita")

    def test_an_admin_sets_a_rule_in_the_admin_site_and_the_shares_follow(self):
        made = shared(self.org, self.rep, self.rep2, closed=dt.date(2024, 3, 15), outcome="won")
        self.login(self.admin)
        response = self.client.post(
            reverse("admin:crm_creditrule_add"),
            {"organisation": self.org.pk, "team": self.team.pk, "co_owner_percent": 30},
        )
        self.assertEqual(response.status_code, 302, getattr(response, "context", None))
        made.refresh_from_db()
        self.assertEqual(made.co_owner_percent, 30)
        refused = self.client.post(
            reverse("admin:crm_creditrule_add"),
            {"organisation": self.org.pk, "team": self.other_team.pk, "co_owner_percent": 130},
        )
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "co_owner_percent")
        # A rep may not.
        self.login(self.rep)
        response = self.client.get(reverse("admin:crm_creditrule_changelist"))
        self.assertNotEqual(response.status_code, 200)
