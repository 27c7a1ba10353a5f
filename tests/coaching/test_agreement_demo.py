"""The demo's agreements and ladder: what a first login shows."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from followthrough.coaching import agreements
from followthrough.coaching.intervals import interval_for
from followthrough.coaching.models import Agreement, LadderOutcome, LadderStep
from followthrough.demo.build import MIN_REPS, build_demo
from followthrough.people.models import Person, Team

TODAY = dt.date(2026, 6, 15)


class DemoAgreementTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo(TODAY, reps=MIN_REPS, months=2)

    def person(self, name: str) -> Person:
        return Person.objects.get(organisation=self.org, name=name)

    def test_benelux_has_two_versions_from_the_starter_text_and_one_rep_still_to_acknowledge(self):
        benelux = Team.objects.get(organisation=self.org, name="Benelux")
        versions = list(agreements.versions_of(team=benelux))
        self.assertEqual([a.version for a in versions], [2, 1])
        self.assertTrue(
            versions[1].expectations.startswith("What accountability means in this team")
        )
        self.assertEqual(versions[0].created_by.name, "Maya Manager")
        self.assertEqual(versions[1].created_at.date(), TODAY - dt.timedelta(days=120))
        rows = agreements.acknowledgement_rows(versions[0])
        self.assertEqual(
            [r.person.name for r in rows if r.acknowledged_at is None], ["Lotte Bakker"]
        )
        self.assertEqual(len(rows), 5)
        self.assertTrue(
            all(r.acknowledged_at for r in agreements.acknowledgement_rows(versions[1]))
        )
        self.assertEqual(agreements.pending_for(self.person("Lotte Bakker")), versions[0])
        self.assertIsNone(agreements.pending_for(self.person("Ruben Rep")))

    def test_dach_has_an_agreement_everyone_acknowledged(self):
        dach = Team.objects.get(organisation=self.org, name="DACH")
        agreement = agreements.latest(team=dach)
        self.assertEqual(agreement.created_by.name, "Otto Keller")
        rows = agreements.acknowledgement_rows(agreement)
        self.assertGreater(len(rows), 0)
        self.assertTrue(all(r.acknowledged_at for r in rows))

    def test_sara_is_on_step_two_with_a_plan_and_a_shorter_interval(self):
        sara = self.person("Sara Visser")
        first, second = LadderStep.objects.filter(rep=sara).order_by("step")
        self.assertEqual(
            (first.outcome, first.reviewed_on), ("moved_up", TODAY - dt.timedelta(days=40))
        )
        self.assertEqual((second.step, second.outcome, second.previous), (2, "open", first))
        self.assertEqual(second.started_on, TODAY - dt.timedelta(days=39))
        self.assertEqual(second.review_on, TODAY + dt.timedelta(days=17))
        self.assertIn("self-report every working day", second.plan)
        self.assertEqual(interval_for(sara, TODAY), "daily")
        self.assertEqual(interval_for(self.person("Ruben Rep"), TODAY), "weekly")

    def test_a_dach_rep_left_the_ladder_after_step_one(self):
        [step] = LadderStep.objects.filter(organisation=self.org, outcome=LadderOutcome.LEFT)
        self.assertEqual(
            (step.step, step.rep.name, step.opened_by.name), (1, "Mia Schulz", "Otto Keller")
        )
        self.assertIsNone(LadderStep.objects.filter(rep=step.rep, outcome="open").first())

    def test_only_the_two_first_teams_have_agreements(self):
        self.assertEqual(
            sorted(
                set(
                    Agreement.objects.filter(organisation=self.org).values_list(
                        "team__name", flat=True
                    )
                )
            ),
            ["Benelux", "DACH"],
        )
