"""Property: after any writes to deals, stage changes and activities, rollups equal the facts.

Hypothesis draws sequences of inserts, updates and deletes (through the ORM and
through an import batch); after each sequence every rolled-up metric, read
from the rollups, equals the same metric computed straight from the facts, for
months, quarters and a period cut across months, and the months of a quarter
add up to the quarter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from followthrough.crm.credit import set_rule
from followthrough.crm.models import Activity, Deal
from followthrough.ingest.batches import import_batch
from followthrough.lib.periods import Period, PeriodKind, months_in, period_of
from followthrough.metrics import engine
from followthrough.metrics.rollups import rolled_metrics
from followthrough.people.models import Organisation, Person
from tests.metrics.helpers import activity, deal, stage_change

START = dt.date(2024, 1, 1)
TODAY = dt.datetime(2024, 6, 30, 23, 59, tzinfo=dt.UTC)
days = st.integers(min_value=0, max_value=181).map(lambda n: START + dt.timedelta(days=n))
maybe_days = st.one_of(st.none(), days)
outcomes = st.sampled_from(["open", "won", "lost"])
amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=5000))
deal_types = st.sampled_from(["new_business", "upsell", "cross_sell"])
activity_types = st.sampled_from(["call", "email", "meeting", "demo", "task"])
directions = st.sampled_from(["", "inbound", "outbound"])
activity_outcomes = st.sampled_from(["", "connected", "first_meeting_held", "second_meeting_held"])
who = st.integers(min_value=0, max_value=2)
STAGES = ["Engaging", "Proposal", "Won", "Lost"]

new_deal = st.tuples(st.just("deal"), who, maybe_days, maybe_days, outcomes, amounts, deal_types)
new_activity = st.tuples(
    st.just("activity"), who, days, activity_types, directions, activity_outcomes
)
edit_deal = st.tuples(st.just("edit_deal"), st.integers(0, 50), who, maybe_days, outcomes, amounts)
edit_activity = st.tuples(st.just("edit_activity"), st.integers(0, 50), who, days)
move = st.tuples(
    st.just("stage"), st.integers(0, 50), days, st.sampled_from(["Engaging", "Won", "Lost"])
)
# Pair selling: a deal gets a co-owner (or loses it) under an organisation rule.
share = st.tuples(
    st.just("share"), st.integers(0, 50), st.one_of(st.none(), who), st.integers(0, 100)
)
remove = st.tuples(st.just("delete"), st.sampled_from(["deal", "activity"]), st.integers(0, 50))
batch = st.tuples(
    st.just("import"),
    # Created and closed on days drawn apart: a re-import may move either month.
    st.lists(
        st.tuples(st.integers(0, 6), who, days, days, outcomes, amounts, st.sampled_from(STAGES)),
        min_size=1,
        max_size=4,
    ),
    # A file may leave out columns: stored values are kept, new deals get none.
    st.frozensets(st.sampled_from(["owner", "created_on", "close_on", "amount", "stage"])),
)
activity_batch = st.tuples(
    st.just("import_activities"),
    st.lists(
        st.tuples(st.integers(0, 6), who, days, st.integers(0, 23), activity_types),
        min_size=1,
        max_size=4,
    ),
)
# Stage history of the imported deals: (deal number, stage, day, hour).
history_batch = st.tuples(
    st.just("import_history"),
    st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(STAGES), days, st.integers(0, 23)),
        min_size=1,
        max_size=4,
    ),
)
operations = st.lists(
    st.one_of(
        new_deal,
        new_activity,
        edit_deal,
        edit_activity,
        move,
        share,
        remove,
        batch,
        activity_batch,
        history_batch,
    ),
    max_size=12,
)

QUARTERS = [
    period_of(PeriodKind.QUARTER, START),
    period_of(PeriodKind.QUARTER, dt.date(2024, 4, 1)),
]
PERIODS = [
    *QUARTERS,
    *[m for q in QUARTERS for m in months_in(q)],
    Period(dt.date(2024, 1, 17), dt.date(2024, 5, 3)),
]


class RollupPropertyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Acme", slug="acme")
        cls.people = [
            Person.objects.create(organisation=cls.org, name=name, external_id=name)
            for name in ("ann", "ben", "cy")
        ]
        cls.keys = [m.key for m in rolled_metrics(cls.org.pk)]

    def apply(self, operation) -> None:
        org, people = self.org, self.people
        kind = operation[0]
        if kind == "deal":
            _, owner, created, closed, outcome, amount, deal_type = operation
            deal(
                org,
                people[owner],
                created=created,
                closed=closed,
                outcome=outcome,
                amount=amount,
                deal_type=deal_type,
            )
        elif kind == "activity":
            _, owner, day, type_, direction, outcome = operation
            activity(org, people[owner], day, type_, direction=direction, outcome=outcome)
        elif kind == "edit_deal":
            _, index, owner, closed, outcome, amount = operation
            found = list(Deal.objects.order_by("pk"))
            if found:
                target = found[index % len(found)]
                target.owner, target.close_on, target.outcome = people[owner], closed, outcome
                target.amount = amount
                target.save()
        elif kind == "edit_activity":
            _, index, owner, day = operation
            found = list(Activity.objects.order_by("pk"))
            if found:
                target = found[index % len(found)]
                target.owner, target.occurred_on = people[owner], day
                target.save()
        elif kind == "stage":
            _, index, day, to_stage = operation
            found = list(Deal.objects.order_by("pk"))
            if found:
                target = found[index % len(found)]
                if not target.stage_changes.filter(to_stage=to_stage).exists():
                    stage_change(org, target, to_stage, day)
        elif kind == "share":
            _, index, co_owner, percent = operation
            found = list(Deal.objects.order_by("pk"))
            if found:
                target = found[index % len(found)]
                target.co_owner = None if co_owner is None else people[co_owner]
                target.save()
                set_rule(org.pk, None, percent)
        elif kind == "delete":
            _, model, index = operation
            found = list((Deal if model == "deal" else Activity).objects.order_by("pk"))
            if found:
                found[index % len(found)].delete()
        elif kind == "import_activities":
            records = {
                f"act{number}": {
                    "external_id": f"act{number}",
                    "owner": people[owner].external_id,
                    "type": type_,
                    "occurred_at": f"{day.isoformat()} {hour:02d}:30:00",
                }
                for number, owner, day, hour, type_ in operation[1]
            }
            result = import_batch(org, "activities", list(records.values()), source="crm")
            self.assertTrue(result.ok, result.errors)
        elif kind == "import_history":
            known = set(
                Deal.objects.filter(organisation=org, source="crm").values_list(
                    "external_id", flat=True
                )
            )
            records = [
                {
                    "deal": f"imp{number}",
                    "to_stage": stage,
                    "changed_at": f"{day.isoformat()} {hour:02d}:00:00",
                }
                for number, stage, day, hour in operation[1]
                if f"imp{number}" in known
            ]
            if records:
                result = import_batch(org, "deal-history", records, source="crm")
                self.assertTrue(result.ok, result.errors)
        else:
            records = [
                {
                    "external_id": f"imp{number}",
                    "owner": people[owner].external_id,
                    "created_on": min(created, closed).isoformat(),
                    "close_on": closed.isoformat(),
                    "outcome": outcome,
                    "amount": amount,
                    "stage": stage,
                }
                for number, owner, created, closed, outcome, amount, stage in operation[1]
            ]
            for record in records:
                for left_out in operation[2]:
                    del record[left_out]
            unique = {r["external_id"]: r for r in records}
            result = import_batch(org, "deals", list(unique.values()), source="crm")
            self.assertTrue(result.ok, result.errors)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(operations)
    # A re-import that moves a deal to another stage records the move today.
    @example(
        [
            ("import", [(0, 0, START, dt.date(2024, 2, 1), "open", 10, "Engaging")], frozenset()),
            ("import", [(0, 1, START, dt.date(2024, 2, 1), "open", 10, "Proposal")], frozenset()),
        ]
    )
    # A shared deal, whose owner then changes, and a rule of 30 %.
    @example(
        [
            ("deal", 0, START, dt.date(2024, 3, 5), "won", 333, "new_business"),
            ("share", 0, 1, 30),
            ("edit_deal", 0, 2, dt.date(2024, 4, 9), "won", 1000),
        ]
    )
    def test_rollups_equal_the_facts_after_any_writes(self, ops):
        # Today is the last day drawn: stage moves a re-import records fall in the periods.
        with time_machine.travel(TODAY, tick=False):
            for operation in ops:
                self.apply(operation)
        rolled = engine.compute(self.org, self.keys, PERIODS)
        direct = engine.compute(self.org, self.keys, PERIODS, use_rollups=False)
        self.assertEqual(dict(rolled), dict(direct))
        self.assertEqual(rolled.shared_deals, direct.shared_deals)
        for quarter in QUARTERS:
            for person in self.people:
                for key in self.keys:
                    parts = [rolled.get(person.pk, key, m) for m in months_in(quarter)]
                    whole = rolled.get(person.pk, key, quarter)
                    self.assertEqual(sum((p.numerator for p in parts), Decimal(0)), whole.numerator)
                    if whole.denominator is not None:
                        self.assertEqual(
                            sum((p.denominator for p in parts), Decimal(0)), whole.denominator
                        )
