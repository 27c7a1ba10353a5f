"""Pages that list people cost the same number of queries whatever the team's size."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.coaching import agreements
from followthrough.people.lines import move
from followthrough.people.models import Person, Role
from tests.cast import START, BaseTestCase, make_person
from tests.coaching.agreement_helpers import step_one, team_agreement, today


class AgreementQueryCountTests(BaseTestCase):
    def count(self, who, url) -> int:
        self.login(who)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def grow_team(self, n: int, agreement) -> None:
        started = today(self.org) - dt.timedelta(days=3)
        for i in range(n):
            rep = make_person(self.org, f"Extra{i:02d}", Role.REP, login=False)
            move(rep, manager=self.manager, team=self.team, on=START)
            agreements.acknowledge(agreement, rep)
            # Who reports to whom is cached per instance: read the manager afresh.
            step_one(Person.objects.get(pk=self.manager.pk), rep, started=started)

    def test_agreement_and_ladder_pages_do_not_query_per_person(self):
        agreement = team_agreement(self.team, self.manager)
        pages = [
            (self.manager, reverse("agreement")),
            (self.manager, reverse("team_agreement", args=[self.team.pk])),
            (self.leader, reverse("agreement")),
            (self.manager, reverse("ladder")),
            (self.leader, reverse("ladder")),
            (self.leader, reverse("ladder_usage")),
            (self.rep, reverse("agreement")),
        ]
        small = [self.count(who, url) for who, url in pages]
        self.grow_team(12, agreement)
        large = [self.count(who, url) for who, url in pages]
        self.assertEqual(small, large)
        self.login(self.manager)
        response = self.client.get(reverse("team_agreement", args=[self.team.pk]))
        self.assertEqual(len(response.context["rows"]), 14)

    def test_the_banner_costs_a_rep_one_query(self):
        team_agreement(self.team, self.manager)
        self.login(self.rep)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(reverse("goals"))
        banner = [q for q in ctx.captured_queries if "coaching_agreement" in q["sql"]]
        self.assertEqual(len(banner), 1)
