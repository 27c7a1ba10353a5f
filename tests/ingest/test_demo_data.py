"""The demo's sales data: written through the importer, deterministic, each habit visible."""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import SimpleTestCase, TestCase

from followthrough.crm.choices import ActivityOutcome, ActivityType, DealType, Direction, Outcome
from followthrough.crm.demo.deals import CLOSED_LOST, CLOSED_WON, OPEN_STAGES
from followthrough.crm.demo.generate import generate
from followthrough.crm.demo.profiles import Habit, RepProfile
from followthrough.crm.models import Account, Activity, Deal, DealChange, DealStageChange, Lead
from followthrough.demo.build import build_demo
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.metrics.choices import Grain
from followthrough.metrics.models import Rollup
from followthrough.people.lines import team_on
from followthrough.people.models import Person, Role


def last_april_30() -> dt.date:
    """A day whose five months of data hold a whole January and February."""
    today = dt.date.today()
    return dt.date(today.year if today >= dt.date(today.year, 5, 1) else today.year - 1, 4, 30)


TODAY = last_april_30()
JAN_1, MAR_1, APR_1 = (dt.date(TODAY.year, month, 1) for month in (1, 3, 4))


def cold_outbound(**filters) -> Q:
    return Q(is_cold=True, direction=Direction.OUTBOUND, **filters)


class DemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = build_demo(TODAY, reps=8, months=5, seed=7)
        cls.people = {p.name: p for p in Person.objects.filter(organisation=cls.org)}

    def rep(self, name: str) -> Person:
        return self.people[name]

    def test_every_kind_is_written_by_one_import_run_of_the_demo_source(self):
        runs = {run.kind: run for run in ImportRun.objects.filter(organisation=self.org)}
        self.assertEqual(
            sorted(runs), ["accounts", "activities", "deal-history", "deals", "leads", "products"]
        )
        for run in runs.values():
            self.assertEqual((run.status, run.source, run.rejected), (RunStatus.DONE, "demo", 0))
        self.assertEqual(runs["deals"].created, Deal.objects.count())
        self.assertEqual(runs["activities"].created, Activity.objects.count())
        self.assertEqual(runs["accounts"].created, Account.objects.count())
        self.assertEqual(runs["leads"].created, Lead.objects.count())
        self.assertEqual(Deal.objects.exclude(source="demo").count(), 0)

    def test_a_few_recent_wins_were_sold_in_pairs_within_a_region(self):
        paired = list(Deal.objects.filter(co_owner__isnull=False).select_related("owner"))
        # Only steady reps and strong prospectors pair up (crm/demo/generate.py); this
        # small demo may have none in one region.
        self.assertLessEqual(len(paired), 6)
        for deal in paired:
            self.assertEqual((deal.outcome, deal.co_owner_percent), (Outcome.WON, 50))
            self.assertNotEqual(deal.co_owner_id, deal.owner_id)
            self.assertIn("shared 50/50 with", deal.shared_credit)

    def test_the_imports_keep_the_metric_rollups_up_to_date(self):
        def rolled(name: str, metric: str, grain: str) -> int:
            rows = Rollup.objects.filter(
                person=self.rep(name), metric__key=metric, grain=grain
            ).aggregate(n=Sum("n"))
            return rows["n"] or 0

        ruben_calls = Activity.objects.filter(owner=self.rep("Ruben Rep"), type="call").count()
        self.assertGreater(ruben_calls, 1000)
        self.assertEqual(rolled("Ruben Rep", "calls", Grain.MONTH), ruben_calls)
        self.assertEqual(rolled("Tom de Jong", "calls", Grain.MONTH), 0)
        lena_won = Deal.objects.filter(owner=self.rep("Lena Fischer"), outcome=Outcome.WON)
        self.assertEqual(rolled("Lena Fischer", "deals_won", Grain.MONTH), lena_won.count())
        self.assertEqual(rolled("Ruben Rep", "calls", Grain.QUARTER), ruben_calls)
        self.assertFalse(Rollup.objects.exclude(grain__in=[Grain.MONTH, Grain.QUARTER]).exists())

    def test_the_january_stopper_does_no_prospecting_in_january_and_february(self):
        sara = self.rep("Sara Visser")
        stopped = Activity.objects.filter(
            cold_outbound(owner=sara), occurred_on__gte=JAN_1, occurred_on__lt=MAR_1
        )
        self.assertEqual(stopped.count(), 0)
        before = Activity.objects.filter(cold_outbound(owner=sara), occurred_on__lt=JAN_1)
        self.assertGreater(before.count(), 200)
        # She picks it up again in April, when the pipeline has dried up.
        after = Activity.objects.filter(cold_outbound(owner=sara), occurred_on__gte=APR_1)
        self.assertGreater(after.count(), 200)

    def test_the_january_stoppers_new_deals_in_february_and_march_all_come_from_inbound_leads(
        self,
    ):
        sara = self.rep("Sara Visser")
        late = set(
            Deal.objects.filter(
                owner=sara,
                deal_type=DealType.NEW_BUSINESS,
                created_on__gte=dt.date(TODAY.year, 2, 1),
                created_on__lt=APR_1,
            ).values_list("pk", flat=True)
        )
        from_leads = set(
            Lead.objects.filter(converted_deal__owner=sara).values_list("converted_deal", flat=True)
        )
        self.assertLessEqual(late, from_leads)
        early = Deal.objects.filter(
            owner=sara, deal_type=DealType.NEW_BUSINESS, created_on__lt=JAN_1
        ).exclude(pk__in=from_leads)
        self.assertGreater(early.count(), 3)

    def test_the_strong_prospector_logs_the_most_cold_outreach(self):
        counts = dict(
            Activity.objects.filter(cold_outbound())
            .values_list("owner__name")
            .annotate(n=Count("id"))
        )
        self.assertEqual(max(counts, key=counts.get), "Ruben Rep")
        self.assertGreater(counts["Ruben Rep"], 1.6 * statistics.median(counts.values()))

    def test_the_cold_emailer_never_calls(self):
        tom = self.rep("Tom de Jong")
        self.assertEqual(Activity.objects.filter(owner=tom, type=ActivityType.CALL).count(), 0)
        self.assertGreater(
            Activity.objects.filter(cold_outbound(owner=tom), type=ActivityType.EMAIL).count(),
            1000,
        )
        self.assertGreater(
            Activity.objects.filter(owner=tom, outcome=ActivityOutcome.FIRST_MEETING_HELD).count(),
            0,
        )

    def test_the_date_pusher_has_deals_whose_close_date_was_pushed_three_times(self):
        pushes = Counter()
        changes = DealChange.objects.filter(field="close_date").values_list(
            "deal__owner__name", "deal_id", "old_value", "new_value"
        )
        for owner, deal, old, new in changes:
            if new > old:  # ISO dates: later sorts after
                pushes[owner, deal] += 1
        pushed_thrice = Counter(owner for (owner, _), n in pushes.items() if n >= 3)
        self.assertGreaterEqual(pushed_thrice["Lena Fischer"], 3)
        self.assertEqual(max(pushed_thrice, key=pushed_thrice.get), "Lena Fischer")

    def test_the_new_hire_started_recently_and_works_more_each_week(self):
        lotte = self.rep("Lotte Bakker")
        self.assertEqual(lotte.role_since, TODAY - dt.timedelta(days=45))
        days = Activity.objects.filter(owner=lotte).values_list("occurred_on", flat=True)
        self.assertGreaterEqual(min(days), lotte.role_since)
        first_weeks = sum(1 for d in days if d < lotte.role_since + dt.timedelta(days=21))
        last_weeks = sum(1 for d in days if d >= TODAY - dt.timedelta(days=21))
        self.assertGreater(last_weeks, 1.5 * first_weeks)
        self.assertFalse(Deal.objects.filter(owner=lotte, created_on__lt=lotte.role_since))

    def test_every_deals_stage_history_ends_in_its_stage_and_outcome(self):
        moves = defaultdict(list)
        for move in DealStageChange.objects.order_by("deal_id", "changed_at"):
            moves[move.deal_id].append(move)
        deals = list(Deal.objects.all())
        for deal in deals:
            history = moves[deal.pk]
            self.assertEqual(history[0].from_stage, "", deal)
            for before, after in zip(history, history[1:], strict=False):
                self.assertEqual(after.from_stage, before.to_stage, deal)
            self.assertEqual(history[-1].to_stage, deal.stage, deal)
            expected = {Outcome.WON: [CLOSED_WON], Outcome.LOST: [CLOSED_LOST]}
            self.assertIn(deal.stage, expected.get(deal.outcome, OPEN_STAGES), deal)
            self.assertEqual(history[0].changed_on, deal.created_on, deal)
            if deal.outcome != Outcome.OPEN:
                self.assertEqual(history[-1].changed_on, deal.close_on, deal)
        self.assertEqual({d.outcome for d in deals}, {Outcome.OPEN, Outcome.WON, Outcome.LOST})

    def test_some_deals_skip_a_stage_and_some_move_backwards(self):
        pairs = Counter(DealStageChange.objects.values_list("from_stage", "to_stage"))
        self.assertGreater(pairs["Qualification", "Proposal"], 0)
        self.assertGreater(pairs["Negotiation", "Proposal"], 0)
        self.assertGreater(
            pairs["Prospecting", "Qualification"], pairs["Qualification", "Proposal"]
        )

    def test_the_demo_sells_every_deal_type_and_logs_every_kind_of_activity(self):
        self.assertEqual(
            set(Deal.objects.values_list("deal_type", flat=True)), set(DealType.values)
        )
        self.assertEqual(
            set(Activity.objects.values_list("type", flat=True)), set(ActivityType.values)
        )
        outcomes = set(Activity.objects.values_list("outcome", flat=True))
        for outcome in (
            ActivityOutcome.CONNECTED,
            ActivityOutcome.NO_ANSWER,
            ActivityOutcome.VOICEMAIL,
            ActivityOutcome.MEETING_BOOKED,
            ActivityOutcome.FIRST_MEETING_HELD,
            ActivityOutcome.SECOND_MEETING_HELD,
            ActivityOutcome.NO_SHOW,
        ):
            self.assertIn(outcome, outcomes)
        self.assertTrue(Activity.objects.filter(direction=Direction.INBOUND).exists())
        on_deals = Activity.objects.filter(deal__isnull=False)
        self.assertTrue(on_deals.exists())
        self.assertFalse(on_deals.exclude(account_id=models_account_of_deal()).exists())

    def test_nothing_is_dated_in_the_future_and_missing_values_stay_missing(self):
        self.assertFalse(Activity.objects.filter(occurred_on__gte=TODAY).exists())
        self.assertFalse(DealStageChange.objects.filter(changed_on__gte=TODAY).exists())
        self.assertFalse(Deal.objects.filter(created_on__gte=TODAY).exists())
        self.assertTrue(Account.objects.filter(annual_revenue__isnull=True).exists())
        self.assertTrue(Lead.objects.filter(first_contact_at__isnull=True, status="New").exists())
        self.assertFalse(Lead.objects.filter(first_contact_at__isnull=True).exclude(status="New"))
        closed = Deal.objects.exclude(outcome=Outcome.OPEN)
        self.assertFalse(closed.exclude(next_step="").exists())

    def test_sdrs_own_the_leads_and_hand_qualified_ones_to_an_ae_of_their_region(self):
        sdrs = {p.pk: p for p in self.people.values() if p.title == "Sales Development Rep"}
        self.assertEqual(len(sdrs), 2)
        self.assertEqual(set(Lead.objects.values_list("owner", flat=True)), set(sdrs))
        self.assertFalse(Deal.objects.filter(owner__in=sdrs).exists())
        converted = Lead.objects.filter(converted_deal__isnull=False).select_related(
            "converted_deal__owner"
        )
        self.assertTrue(converted.exists())
        day = TODAY - dt.timedelta(days=1)
        for lead in converted:
            self.assertEqual(lead.status, "Qualified")
            self.assertEqual(lead.converted_on, lead.converted_deal.created_on)
            self.assertEqual(lead.converted_deal.deal_type, DealType.NEW_BUSINESS)
            ae = lead.converted_deal.owner
            self.assertEqual(team_on(ae, day).parent, team_on(sdrs[lead.owner_id], day).parent)
        self.assertFalse(Lead.objects.filter(converted_deal__isnull=True, status="Qualified"))

    def test_accounts_with_a_won_deal_know_their_first_win(self):
        won = Account.objects.filter(deal__outcome=Outcome.WON).distinct()
        self.assertTrue(won.exists())
        self.assertFalse(won.filter(first_won_on__isnull=True).exists())

    def test_only_reps_own_deals_and_activities(self):
        owners = set(Deal.objects.values_list("owner__role", flat=True))
        owners |= set(Activity.objects.values_list("owner__role", flat=True))
        self.assertEqual(owners, {Role.REP})


def models_account_of_deal():
    from django.db.models import OuterRef, Subquery

    return Subquery(Deal.objects.filter(pk=OuterRef("deal_id")).values("account_id")[:1])


def fingerprint() -> dict[str, list]:
    """Everything the demo wrote, without database ids or import times."""
    return {
        "accounts": list(
            Account.objects.order_by("external_id").values_list(
                "external_id", "name", "segment", "employees", "annual_revenue", "first_won_on"
            )
        ),
        "deals": list(
            Deal.objects.order_by("external_id").values_list(
                "external_id",
                "owner__email",
                "account__external_id",
                "amount",
                "stage",
                "outcome",
                "deal_type",
                "created_on",
                "close_on",
                "next_step_on",
            )
        ),  # fmt: skip
        "moves": list(
            DealStageChange.objects.order_by("deal__external_id", "changed_at").values_list(
                "deal__external_id", "from_stage", "to_stage", "changed_at"
            )
        ),
        "changes": list(
            DealChange.objects.order_by("deal__external_id", "changed_at", "field").values_list(
                "deal__external_id", "field", "old_value", "new_value", "changed_at"
            )
        ),
        "activities": list(
            Activity.objects.order_by("external_id").values_list(
                "external_id",
                "owner__email",
                "type",
                "occurred_at",
                "outcome",
                "is_cold",
                "deal__external_id",
                "account__external_id",
            )
        ),  # fmt: skip
        "leads": list(
            Lead.objects.order_by("external_id").values_list(
                "external_id", "status", "first_contact_at", "converted_deal__external_id"
            )
        ),
    }


class DeterminismTests(TestCase):
    def build(self, seed: int) -> dict[str, list]:
        with transaction.atomic():
            build_demo(dt.date(2026, 3, 10), reps=8, months=2, seed=seed)
            found = fingerprint()
            transaction.set_rollback(True)
        return found

    def test_the_same_seed_builds_the_same_data_and_another_seed_other_data(self):
        first, again, other = self.build(3), self.build(3), self.build(4)
        self.assertGreater(len(first["activities"]), 5000)
        for kind in first:
            self.assertEqual(first[kind], again[kind], kind)
        self.assertNotEqual(first["deals"], other["deals"])


def profiles(today: dt.date) -> list[RepProfile]:
    habits = [
        Habit.STRONG_PROSPECTOR,
        Habit.JANUARY_STOPPER,
        Habit.COLD_EMAILER,
        Habit.NEW_HIRE,
        Habit.DATE_PUSHER,
    ] + [Habit.STEADY] * 15
    return [
        RepProfile(
            f"rep{n}@example.test",
            habit,
            today - dt.timedelta(days=45) if habit == Habit.NEW_HIRE else dt.date(2024, 1, 1),
            ("Netherlands",),
            "West",
        )
        for n, habit in enumerate([*habits, Habit.SDR])
    ]


class RealismTests(SimpleTestCase):
    """The default demo's figures sit where a B2B sales team's would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = dt.date(2026, 11, 24)
        cls.data = generate(
            profiles(cls.today),
            today=cls.today,
            months=12,
            seed=1,
            zone=zoneinfo.ZoneInfo("Europe/Amsterdam"),
        )

    def test_the_generator_returns_the_same_records_for_the_same_seed(self):
        again = generate(
            profiles(self.today),
            today=self.today,
            months=12,
            seed=1,
            zone=zoneinfo.ZoneInfo("Europe/Amsterdam"),
        )
        self.assertEqual(self.data, again)

    def test_new_business_win_rate_and_cycle_are_those_of_b2b_sales(self):
        closed = [
            d
            for d in self.data.deals
            if d["outcome"] != Outcome.OPEN and d["deal_type"] == DealType.NEW_BUSINESS
        ]
        won = [d for d in closed if d["outcome"] == Outcome.WON]
        self.assertTrue(0.15 <= len(won) / len(closed) <= 0.35)
        cycle = statistics.median((d["close_on"] - d["created_on"]).days for d in won)
        self.assertTrue(40 <= cycle <= 120, cycle)
        size = statistics.median(d["amount"] for d in won)
        self.assertTrue(10_000 <= size <= 80_000, size)

    def test_renewals_are_won_far_more_often_than_new_business(self):
        def rate(deal_type):
            closed = [
                d
                for d in self.data.deals
                if d["outcome"] != Outcome.OPEN and d["deal_type"] == deal_type
            ]
            return sum(d["outcome"] == Outcome.WON for d in closed) / len(closed)

        self.assertGreater(rate(DealType.RENEWAL), 2 * rate(DealType.NEW_BUSINESS))

    def test_an_sdr_qualifies_a_fair_share_of_the_leads_they_worked(self):
        leads = [lead for lead in self.data.leads if lead["status"] != "New"]
        qualified = [lead for lead in leads if lead["status"] == "Qualified"]
        self.assertTrue(0.2 <= len(qualified) / len(leads) <= 0.4)
        self.assertTrue(all(lead["converted_deal"] for lead in qualified))

    def test_a_steady_rep_opens_a_handful_of_deals_a_month(self):
        steady = [
            d
            for d in self.data.deals
            if d["owner"] == "rep5@example.test"
            and d["created_on"] >= dt.date(2025, 12, 1)
            and d["deal_type"] == DealType.NEW_BUSINESS
        ]
        self.assertTrue(2 * 11 <= len(steady) <= 10 * 11, len(steady))
