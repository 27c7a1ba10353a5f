"""CRM hygiene on small hand-built histories, with the numbers worked out by hand."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from followthrough.crm.models import Deal, DealChange
from followthrough.diagnostics import hygiene
from followthrough.diagnostics.hygiene import Rule
from followthrough.diagnostics.models import DiagnosticSettings, HygieneScore
from tests.cast import BaseTestCase
from tests.metrics.helpers import activity, deal, stage_change

TODAY = dt.date(2026, 3, 16)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)), dt.UTC)


class HygieneRuleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        org, rita, rob = cls.org, cls.rep, cls.rep2
        d = dt.date
        future = d(2026, 4, 30)
        # Stale: last activity 20 Feb, 24 days before 16 Mar (>= 21). No next step.
        cls.stale = deal(org, rita, created=d(2026, 1, 5), closed=future, name="Stale")
        activity(org, rita, d(2026, 2, 20), deal=cls.stale)
        # Created 1 Mar with no activity: 15 days, not stale. Close date 10 Mar: 6 days past.
        cls.overdue = deal(
            org,
            rita,
            created=d(2026, 3, 1),
            closed=d(2026, 3, 10),
            name="Overdue",
            next_step="Call",
            next_step_on=d(2026, 3, 20),
        )
        # Next step due 13 Mar: 3 days overdue.
        cls.late_step = deal(
            org,
            rita,
            created=d(2026, 3, 2),
            closed=future,
            name="Late step",
            next_step="Send proposal",
            next_step_on=d(2026, 3, 13),
        )
        activity(org, rita, d(2026, 3, 12), deal=cls.late_step)
        # Qualification -> Proposal: 1 of the 21 moves out of Qualification (4.8 % < 5 %).
        cls.skipper = deal(
            org,
            rita,
            created=d(2026, 3, 3),
            closed=future,
            name="Skipper",
            next_step="Demo",
            next_step_on=d(2026, 3, 20),
        )
        activity(org, rita, d(2026, 3, 10), deal=cls.skipper)
        stage_change(org, cls.skipper, "Qualification", d(2026, 3, 3))
        stage_change(org, cls.skipper, "Proposal", d(2026, 3, 9), from_stage="Qualification")
        for _ in range(20):
            won = deal(org, rob, created=d(2025, 10, 1), closed=d(2025, 12, 1), outcome="lost")
            stage_change(org, won, "Qualification", d(2025, 10, 1))
            stage_change(org, won, "Demo", d(2025, 10, 10), from_stage="Qualification")
            stage_change(org, won, "Proposal", d(2025, 10, 20), from_stage="Demo")
            stage_change(org, won, "Closed Lost", d(2025, 12, 1), from_stage="Proposal")
        # The team's won cycles: 30, 40, 50, 60 and 70 days, median 50; twice that is 100.
        for days in (30, 40, 50, 60, 70):
            deal(
                org,
                rob,
                created=d(2026, 1, 1) - dt.timedelta(days=days),
                closed=d(2026, 1, 1),
                outcome="won",
            )
        # Created 20 Nov 2025: 116 days open > 100.
        cls.old = deal(
            org,
            rita,
            created=d(2025, 11, 20),
            closed=future,
            name="Old",
            next_step="Negotiate",
            next_step_on=d(2026, 3, 20),
        )
        activity(org, rita, d(2026, 3, 11), deal=cls.old)
        cls.clean = deal(
            org,
            rita,
            created=d(2026, 2, 1),
            closed=future,
            name="Clean",
            next_step="Negotiate",
            next_step_on=d(2026, 3, 18),
        )
        activity(org, rita, d(2026, 3, 13), deal=cls.clean)
        # Rob's deal comes from a CRM that never fills next steps: never flagged for them.
        cls.no_steps = deal(org, rob, created=d(2026, 3, 1), closed=future)
        Deal.objects.filter(pk=cls.no_steps.pk).update(source="crm2")
        # Closed deals are not checked.
        deal(org, rita, created=d(2026, 1, 1), closed=d(2026, 1, 20), outcome="lost")

    def rules(self, found, pk) -> dict[int, set[Rule]]:
        by_deal: dict[int, set[Rule]] = {}
        for issue in found[pk].issues:
            by_deal.setdefault(issue.deal_id, set()).add(issue.rule)
        return by_deal

    def test_each_rule_flags_the_deal_it_describes(self):
        found = hygiene.review(self.org, [self.rep.pk, self.rep2.pk], TODAY)
        self.assertEqual(
            self.rules(found, self.rep.pk),
            {
                self.stale.pk: {Rule.STALE, Rule.NO_NEXT_STEP},
                self.overdue.pk: {Rule.CLOSE_PAST},
                self.late_step.pk: {Rule.NEXT_STEP_PAST},
                self.skipper.pk: {Rule.STAGE_SKIPPED},
                self.old.pk: {Rule.OPEN_TOO_LONG},
            },
        )
        self.assertEqual(self.rules(found, self.rep2.pk), {})

    def test_the_numbers_behind_each_issue(self):
        issues = {
            (i.deal_id, i.rule): i
            for i in hygiene.check(self.org, [self.rep.pk], TODAY)[self.rep.pk]
        }
        self.assertEqual(issues[(self.stale.pk, Rule.STALE)].params["days"], 24)
        self.assertEqual(issues[(self.overdue.pk, Rule.CLOSE_PAST)].params["days"], 6)
        self.assertEqual(issues[(self.late_step.pk, Rule.NEXT_STEP_PAST)].params["days"], 3)
        self.assertEqual(issues[(self.skipper.pk, Rule.STAGE_SKIPPED)].params["skipped"], "Demo")
        old = issues[(self.old.pk, Rule.OPEN_TOO_LONG)].params
        self.assertEqual((old["days"], old["cycle"]), (116, 50))
        self.assertIn("24", issues[(self.stale.pk, Rule.STALE)].said.text)

    def test_the_score_is_the_share_of_open_deals_without_an_issue(self):
        rita = hygiene.review(self.org, [self.rep.pk], TODAY)[self.rep.pk]
        # Six open deals, five flagged: 1 / 6 = 17 %.
        self.assertEqual((rita.open_deals, rita.clean_deals, rita.score), (6, 1, 17))

    def test_thresholds_come_from_the_team_settings(self):
        DiagnosticSettings.objects.create(organisation=self.org, team=self.team, stale_days=30)
        found = hygiene.review(self.org, [self.rep.pk], TODAY)
        self.assertNotIn(Rule.STALE, self.rules(found, self.rep.pk)[self.stale.pk])

    def test_a_common_skip_is_the_process_not_an_issue(self):
        # Two more deals skip the demo: 3 of 23 moves out of Qualification (13 % >= 5 %).
        for _ in range(2):
            other = deal(
                self.org,
                self.rep2,
                created=dt.date(2026, 1, 5),
                closed=dt.date(2026, 2, 1),
                outcome="lost",
            )
            stage_change(
                self.org, other, "Proposal", dt.date(2026, 1, 9), from_stage="Qualification"
            )
        found = hygiene.review(self.org, [self.rep.pk], TODAY)
        self.assertNotIn(self.skipper.pk, self.rules(found, self.rep.pk))

    def test_a_past_day_is_judged_from_the_history(self):
        # Won on 5 Mar; on that day its close date moved from 10 Feb. On 20 Feb it was open
        # and 10 days overdue.
        won = deal(
            self.org,
            self.rep,
            created=dt.date(2026, 1, 10),
            closed=dt.date(2026, 3, 5),
            outcome="won",
            name="Won late",
        )
        activity(self.org, self.rep, dt.date(2026, 2, 18), deal=won)
        DealChange.objects.create(
            organisation=self.org,
            deal=won,
            field="close_date",
            old_value="2026-02-10",
            new_value="2026-03-05",
            changed_at=at(dt.date(2026, 3, 5)),
        )
        day = dt.date(2026, 2, 20)
        found = hygiene.review_days(self.org, [self.rep.pk], [day])[day]
        rules = self.rules(found, self.rep.pk)
        self.assertEqual(rules[won.pk], {Rule.CLOSE_PAST})
        issue = next(i for i in found[self.rep.pk].issues if i.deal_id == won.pk)
        self.assertEqual(issue.params["days"], 10)
        # No next-step rules as of a past day: the CRM keeps only today's next step.
        self.assertNotIn(Rule.NO_NEXT_STEP, {i.rule for i in found[self.rep.pk].issues})
        # Open on 20 Feb: Stale (since 5 Jan), Clean (since 1 Feb), Old, and Won late.
        self.assertEqual(found[self.rep.pk].open_deals, 4)

    def test_record_scores_writes_todays_row_for_every_rep(self):
        written = hygiene.record_scores(self.org, TODAY)
        row = HygieneScore.objects.get(person=self.rep, day=TODAY)
        self.assertEqual((row.open_deals, row.clean_deals, row.score), (6, 1, 17))
        self.assertEqual(row.issues["stale"], 1)
        # Without the next-step rules, Stale and Late step... Stale still stale: 2 of 6 clean
        # (Late step and Clean).
        self.assertEqual(row.issues[hygiene.REPLAYABLE_CLEAN], 2)
        self.assertEqual(written, 3)  # Rita, Rob, Olga
        hygiene.record_scores(self.org, TODAY)  # again: updated, not doubled
        self.assertEqual(HygieneScore.objects.filter(day=TODAY).count(), 3)

    def test_the_counts_in_the_database_agree_with_the_rules_deal_by_deal(self):
        people = [self.rep.pk, self.rep2.pk, self.other_rep.pk]
        Deal.objects.filter(pk=self.clean.pk).update(next_step=" \t ")  # only whitespace
        by_deal = hygiene.review(self.org, people, TODAY)
        counted = hygiene.tally(self.org, people, TODAY)
        self.assertEqual(counted, {pk: rep.tallied() for pk, rep in by_deal.items()})
        rita = counted[self.rep.pk]
        self.assertEqual((rita.open_deals, rita.clean_deals, rita.issues), (6, 0, 7))
        self.assertEqual(rita.rules[Rule.NO_NEXT_STEP], 2)  # Stale's and Clean's
        self.assertEqual(rita.rules[Rule.STAGE_SKIPPED], 1)

    def test_a_fixed_number_of_queries_whatever_the_number_of_people(self):
        with self.assertNumQueries(QUERIES):
            hygiene.review(self.org, [self.rep.pk], TODAY)
        with self.assertNumQueries(QUERIES):
            hygiene.review(self.org, [self.rep.pk, self.rep2.pk, self.other_rep.pk], TODAY)
        with self.assertNumQueries(TALLY_QUERIES):
            hygiene.tally(self.org, [self.rep.pk], TODAY)
        with self.assertNumQueries(TALLY_QUERIES):
            hygiene.tally(self.org, [self.rep.pk, self.rep2.pk, self.other_rep.pk], TODAY)


QUERIES = 9
# The stage order, the won cycles, the teams, the thresholds (two) and the counts.
TALLY_QUERIES = 6
