"""The demo's hygiene and integrity: the date pusher is the one the integrity rules flag."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.demo.build import build_demo
from followthrough.diagnostics import hygiene, integrity
from followthrough.diagnostics.models import HygieneScore
from followthrough.people.models import Person, Role

TODAY = dt.date(2026, 11, 16)


class DemoHygieneTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=8, months=12)
        cls.reps = list(Person.objects.filter(organisation=cls.org, role=Role.REP))
        cls.names = {p.pk: p.name for p in cls.reps}
        cls.found = integrity.review(cls.org, [p.pk for p in cls.reps], TODAY)

    def flagged(self, kind=None) -> set[str]:
        return {
            self.names[pk]
            for pk, rep in self.found.items()
            if (rep.flagged if kind is None else kind in rep.flagged)
        }

    def test_only_the_date_pusher_is_flagged_by_the_integrity_rules(self):
        self.assertEqual(self.flagged(), {"Lena Fischer"})

    def test_the_date_pusher_is_flagged_for_pushes_regressions_and_bulk_logging(self):
        for kind in (integrity.Kind.PUSH, integrity.Kind.REGRESSION, integrity.Kind.BULK_LOG):
            with self.subTest(kind=kind):
                self.assertEqual(self.flagged(kind), {"Lena Fischer"})

    def test_each_signal_cites_the_history_records_behind_it(self):
        lena = next(p for p in self.reps if p.name == "Lena Fischer")
        for signal in self.found[lena.pk].signals:
            self.assertTrue(signal.records, signal)
        pushes = [s for s in self.found[lena.pk].signals if s.kind == integrity.Kind.PUSH]
        self.assertTrue(all(len(s.records) >= 3 for s in pushes))
        self.assertTrue(all(r.model == "deal_change" for s in pushes for r in s.records))

    def test_the_demo_has_half_a_year_of_weekly_hygiene_scores(self):
        days = sorted(
            set(HygieneScore.objects.filter(organisation=self.org).values_list("day", flat=True))
        )
        self.assertEqual(len(days), 27)
        self.assertEqual(days[-1], TODAY)
        self.assertEqual((days[1] - days[0]).days, 7)

    def test_hygiene_finds_open_deals_for_every_seller_with_deals(self):
        found = hygiene.review(self.org, [p.pk for p in self.reps], TODAY)
        self.assertTrue(any(r.open_deals for r in found.values()))

    def test_the_nightly_counts_agree_with_the_rules_deal_by_deal(self):
        people = [p.pk for p in self.reps]
        by_deal = hygiene.review(self.org, people, TODAY)
        counted = hygiene.tally(self.org, people, TODAY)
        self.assertEqual(counted, {pk: rep.tallied() for pk, rep in by_deal.items()})
        self.assertTrue(any(rep.issues for rep in counted.values()))
