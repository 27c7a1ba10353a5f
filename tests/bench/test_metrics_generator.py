"""The metrics benchmark's generator makes the organisation it was designed to make, and the
same one on every database: each row's random values are hashed from its row number."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.db.models import Count, F
from django.test import TestCase

from followthrough.crm.models import Activity, Deal
from followthrough.people.models import Person, Role

BENCH = Path(__file__).resolve().parents[2] / "bench" / "metrics.py"
SCALE = 0.002  # 12 reps, 20,000 activities, 2,000 deals
TOLERANCE = 3  # percentage points, for a sample of 2,000 deals


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_metrics", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shares(rows) -> dict[str, float]:
    counts = {key: n for key, n in rows}
    total = sum(counts.values())
    return {key: 100 * n / total for key, n in counts.items()}


class MetricsGeneratorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_generator().generate(SCALE)

    def test_deals_are_40_won_35_lost_25_open(self):
        found = shares(
            Deal.objects.values("outcome").annotate(n=Count("id")).values_list("outcome", "n")
        )
        for outcome, share in {"won": 40, "lost": 35, "open": 25}.items():
            self.assertAlmostEqual(found[outcome], share, delta=TOLERANCE, msg=outcome)

    def test_each_deals_stage_matches_its_outcome(self):
        stages = set(Deal.objects.values_list("outcome", "stage").distinct())
        self.assertEqual(stages, {("won", "Won"), ("lost", "Lost"), ("open", "Proposal")})

    def test_activity_types_have_their_designed_shares(self):
        found = shares(
            Activity.objects.values("type").annotate(n=Count("id")).values_list("type", "n")
        )
        designed = {"call": 37.5, "email": 25, "meeting": 12.5, "demo": 12.5, "task": 12.5}
        for kind, share in designed.items():
            self.assertAlmostEqual(found[kind], share, delta=TOLERANCE, msg=kind)

    def test_meeting_outcomes_are_only_on_meetings_and_call_outcomes_only_on_calls(self):
        pairs = set(Activity.objects.values_list("type", "outcome").distinct())
        self.assertEqual(
            pairs,
            {
                ("meeting", "first_meeting_held"),
                ("meeting", "second_meeting_held"),
                ("call", "connected"),
                ("call", "no_answer"),
                ("email", ""),
                ("demo", ""),
                ("task", ""),
            },
        )

    def test_it_makes_the_same_rows_on_every_database(self):
        # Pinned from a run on SQLite and one on PostgreSQL, which made the very same rows.
        outcomes = Deal.objects.values("outcome").annotate(n=Count("id"))
        self.assertEqual(
            dict(outcomes.values_list("outcome", "n")), {"won": 783, "lost": 719, "open": 498}
        )
        first_rep = Person.objects.filter(role=Role.REP).order_by("pk").first().pk
        first = Activity.objects.order_by("external_id").annotate(rep=F("owner_id") - first_rep)
        self.assertEqual(
            list(first.values_list("rep", "type", "duration_seconds", "outcome")[:3]),
            [
                (10, "meeting", 929, "second_meeting_held"),
                (3, "call", 2317, "no_answer"),
                (9, "meeting", 3221, "second_meeting_held"),
            ],
        )
