"""A second angle on team ratios: summed numerators over summed denominators, by hand.

January 2024. Alpha: Rita won 2 deals of 100 and lost none (win rate 1, average deal
100); Rob won 1 deal of 900 and lost 3 (win rate 0.25, average 900). Beta: Olga lost 1.
Alpha's win rate is 3 won / 6 closed = 0.5, not the mean of 1 and 0.25 (0.625); its
average deal is 1,100 / 3 = 366.6667, not the mean of 100 and 900 (500). The region
North: 3 won / 7 closed = 0.4286, not the mean of 1, 0.25 and 0 (0.4167).
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from tests.cast import BaseTestCase
from tests.metrics.helpers import deal

D = dt.date


class TeamRatioTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        closed = {"created": D(2024, 1, 2), "closed": D(2024, 1, 15)}
        deal(cls.org, cls.rep, outcome="won", amount=100, **closed)
        deal(cls.org, cls.rep, outcome="won", amount=100, **closed)
        deal(cls.org, cls.rep2, outcome="won", amount=900, **closed)
        for _ in range(3):
            deal(cls.org, cls.rep2, outcome="lost", **closed)
        deal(cls.org, cls.other_rep, outcome="lost", **closed)

    def test_the_team_export_divides_summed_parts(self):
        out = io.StringIO()
        call_command(
            "metrics",
            "export",
            *("--from", "2024-01-01", "--to", "2024-01-31", "--organisation", "acme"),
            *("--metric", "win_rate", "--metric", "avg_deal_size", "--by", "team"),
            stdout=out,
        )
        lines = set(out.getvalue().splitlines())
        self.assertLessEqual(
            {
                "Alpha,win_rate,0.5",
                "Alpha,avg_deal_size,366.6667",
                "Beta,win_rate,0",
                "Beta,avg_deal_size,",
                "North,win_rate,0.4286",
                "North,avg_deal_size,366.6667",
            },
            lines,
        )
