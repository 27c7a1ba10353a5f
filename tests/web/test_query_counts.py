"""Pages listing people cost the same number of queries whatever the team size."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followthrough.people.lines import move
from followthrough.people.models import Role
from tests.cast import START, BaseTestCase, make_person


class QueryCountTests(BaseTestCase):
    def count(self, who, url):
        self.login(who)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def grow_team(self, n):
        for i in range(n):
            rep = make_person(self.org, f"Extra{i:02d}", Role.REP, login=False)
            move(rep, manager=self.manager, team=self.team, on=START)

    def test_people_pages_do_not_query_per_person(self):
        pages = [
            (self.manager, reverse("my_team")),
            (self.leader, reverse("teams")),
            (self.manager, reverse("team", args=[self.team.pk])),
            (self.admin, reverse("people")),
            (self.admin, reverse("person-list")),
        ]
        small = [self.count(who, url) for who, url in pages]
        self.grow_team(27)
        large = [self.count(who, url) for who, url in pages]
        self.assertEqual(small, large)
