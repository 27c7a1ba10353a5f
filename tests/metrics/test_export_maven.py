"""The export contract reproduces the metric definitions on the Maven example, computed apart."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unittest
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from followthrough.people.models import Organisation

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "maven-crm"
EXAMPLE = ROOT / "docs" / "examples" / "maven-crm"
FILES = [
    ("people", "sales_teams.csv", "people.toml"),
    ("products", "products.csv", "products.toml"),
    ("accounts", "accounts.csv", "accounts.toml"),
    ("deals", "sales_pipeline.csv", "deals.toml"),
]
METRICS = [
    "deals_won",
    "revenue_won",
    "deals_lost",
    "win_rate",
    "avg_deal_size",
    "deals_created",
    "sales_cycle_days",
]
RANGES = [
    (dt.date(2017, 1, 1), dt.date(2017, 3, 31)),
    (dt.date(2017, 7, 15), dt.date(2017, 12, 31)),
    (dt.date(2016, 10, 1), dt.date(2016, 10, 31)),
]


def read(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def expected(deals: list[dict], start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
    """The definitions of the issue, straight from the CSV rows."""
    won = [d for d in deals if d["deal_stage"] == "Won" and start <= day(d["close_date"]) <= end]
    lost = [d for d in deals if d["deal_stage"] == "Lost" and start <= day(d["close_date"]) <= end]
    created = [d for d in deals if d["engage_date"] and start <= day(d["engage_date"]) <= end]
    revenue = sum((Decimal(d["close_value"]) for d in won if d["close_value"]), Decimal(0))
    cycles = [(day(d["close_date"]) - day(d["engage_date"])).days for d in won if d["engage_date"]]
    closed = len(won) + len(lost)
    return {
        "deals_won": Decimal(len(won)),
        "revenue_won": revenue,
        "deals_lost": Decimal(len(lost)),
        "win_rate": Decimal(len(won)) / closed if closed else None,
        "avg_deal_size": revenue / len(won) if won else None,
        "deals_created": Decimal(len(created)),
        "sales_cycle_days": Decimal(sum(cycles)) / len(cycles) if cycles else None,
    }


def four_places(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


@unittest.skipUnless(DATA.is_dir(), f"{DATA} is absent: the Maven export tests are skipped")
class MavenExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = Organisation.objects.create(name="Maven Analytics", slug="maven")
        for kind, file, mapping in FILES:
            call_command(
                "import",
                kind,
                str(DATA / file),
                "--mapping",
                str(EXAMPLE / mapping),
                "--organisation",
                "maven",
                "--no-progress",
                stdout=io.StringIO(),
            )
        cls.pipeline = read("sales_pipeline.csv")
        cls.office = {r["sales_agent"]: r["regional_office"] for r in read("sales_teams.csv")}

    def export(self, start: dt.date, end: dt.date, by: str = "person") -> tuple[list, dict]:
        out = io.StringIO()
        args = ["export", "--from", start.isoformat(), "--to", end.isoformat(), "--by", by]
        for key in METRICS:
            args += ["--metric", key]
        call_command("metrics", *args, stdout=out)
        lines = list(csv.reader(io.StringIO(out.getvalue())))
        values = {
            (who, metric): (Decimal(value) if value else None) for who, metric, value in lines[1:]
        }
        return lines[0], values

    def assert_figures(self, got: dict, who: str, want: dict) -> None:
        for key in METRICS:
            with self.subTest(who=who, metric=key):
                self.assertEqual(got[(who, key)], four_places(want[key]))

    def test_the_export_per_person_matches_the_definitions_for_every_range(self):
        by_agent = defaultdict(list)
        for deal in self.pipeline:
            by_agent[deal["sales_agent"]].append(deal)
        for start, end in RANGES:
            header, got = self.export(start, end)
            self.assertEqual(header, ["person", "metric", "value"])
            for agent in self.office:
                self.assert_figures(got, agent, expected(by_agent[agent], start, end))

    def test_the_export_by_team_sums_the_parts_of_each_regional_office(self):
        by_office = defaultdict(list)
        for deal in self.pipeline:
            by_office[self.office[deal["sales_agent"]]].append(deal)
        for start, end in RANGES:
            header, got = self.export(start, end, by="team")
            self.assertEqual(header, ["team", "metric", "value"])
            self.assertEqual({who for who, _ in got}, set(by_office))
            for office, deals in by_office.items():
                self.assert_figures(got, office, expected(deals, start, end))

    def test_a_range_without_closed_deals_leaves_ratios_empty_and_counts_zero(self):
        _, got = self.export(dt.date(2030, 1, 1), dt.date(2030, 1, 31))
        agent = sorted(self.office)[0]
        self.assertEqual(got[(agent, "deals_won")], 0)
        self.assertIsNone(got[(agent, "win_rate")])
        self.assertIsNone(got[(agent, "avg_deal_size")])
        self.assertIsNone(got[(agent, "sales_cycle_days")])

    def test_rollups_written_by_the_import_equal_a_rebuild_from_the_facts(self):
        before = self.export(*RANGES[1])[1]
        call_command(
            "metrics", "rebuild", "--organisation", "maven", "--no-progress", stdout=io.StringIO()
        )
        self.assertEqual(self.export(*RANGES[1])[1], before)
