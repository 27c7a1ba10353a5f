"""The worked example: the Maven Analytics CRM data set imports exactly."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
import unittest
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db.models import Sum
from django.test import TestCase

from followthrough.crm.models import Account, Deal, Product
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "maven-crm"
EXAMPLE = ROOT / "docs" / "examples" / "maven-crm"
FILES = [
    ("people", "sales_teams.csv", "people.toml"),
    ("products", "products.csv", "products.toml"),
    ("accounts", "accounts.csv", "accounts.toml"),
    ("deals", "sales_pipeline.csv", "deals.toml"),
]


def rows(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@unittest.skipUnless(DATA.is_dir(), f"{DATA} is absent: the Maven example tests are skipped")
class MavenExampleTests(TestCase):
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

    def test_people_managers_and_offices_are_created(self):
        teams = rows("sales_teams.csv")
        self.assertEqual(Person.objects.filter(role=Role.REP).count(), len(teams))
        managers = {r["manager"] for r in teams}
        self.assertEqual(
            set(Person.objects.filter(role=Role.MANAGER).values_list("name", flat=True)), managers
        )
        self.assertEqual(
            set(Team.objects.values_list("name", flat=True)), {r["regional_office"] for r in teams}
        )
        anna = ReportingLine.objects.get(person__name="Anna Snelling")
        self.assertEqual((anna.manager.name, anna.team.name), ("Dustin Brinkmann", "Central"))

    def test_deals_match_the_file(self):
        pipeline = rows("sales_pipeline.csv")
        self.assertEqual(Deal.objects.count(), len(pipeline))
        stages = Counter(r["deal_stage"] for r in pipeline)
        outcomes = Counter(Deal.objects.values_list("outcome", flat=True))
        self.assertEqual(outcomes["won"], stages["Won"])
        self.assertEqual(outcomes["lost"], stages["Lost"])
        self.assertEqual(outcomes["open"], stages["Engaging"] + stages["Prospecting"])
        won_total = sum(Decimal(r["close_value"]) for r in pipeline if r["deal_stage"] == "Won")
        self.assertEqual(
            Deal.objects.filter(outcome="won").aggregate(s=Sum("amount"))["s"], won_total
        )
        self.assertEqual(
            Deal.objects.filter(account__isnull=True).count(),
            sum(1 for r in pipeline if not r["account"]),
        )
        self.assertEqual(
            Deal.objects.filter(amount__isnull=True).count(),
            stages["Engaging"] + stages["Prospecting"],
        )

    def test_a_sample_of_exact_values(self):
        first = Deal.objects.select_related("owner", "product", "account").get(
            external_id="1C1I7A6R"
        )
        self.assertEqual(
            (first.owner.name, first.product.name, first.account.name, first.stage, first.outcome),
            ("Moses Frase", "GTX Plus Basic", "Cancity", "Won", "won"),
        )
        self.assertEqual(
            (first.created_on, first.close_on, first.amount),
            (dt.date(2016, 10, 20), dt.date(2017, 3, 1), Decimal("1054.00")),
        )
        # The pipeline's "GTXPro" is products.csv's "GTX Pro".
        self.assertEqual(Deal.objects.get(external_id="Z063OYW0").product.name, "GTX Pro")
        self.assertEqual(Product.objects.get(name="GTX Pro").list_price, Decimal("4821.00"))
        prospecting = Deal.objects.filter(stage="Prospecting")
        self.assertFalse(prospecting.exclude(created_on=None).exists())
        self.assertFalse(prospecting.exclude(close_on=None).exists())

    def test_accounts_keep_their_parents_and_corrected_sector(self):
        accounts = rows("accounts.csv")
        self.assertEqual(Account.objects.count(), len(accounts))
        self.assertFalse(Account.objects.filter(industry="technolgy").exists())
        with_parent = [r for r in accounts if r["subsidiary_of"]]
        self.assertEqual(Account.objects.filter(parent__isnull=False).count(), len(with_parent))
        sample = with_parent[0]
        self.assertEqual(
            Account.objects.get(name=sample["account"]).parent.name, sample["subsidiary_of"]
        )
        first_win = min(
            r["close_date"]
            for r in rows("sales_pipeline.csv")
            if r["account"] == "Cancity" and r["deal_stage"] == "Won"
        )
        self.assertEqual(Account.objects.get(name="Cancity").first_won_on.isoformat(), first_win)

    def test_importing_again_changes_nothing(self):
        out = io.StringIO()
        call_command(
            "import",
            "deals",
            str(DATA / "sales_pipeline.csv"),
            "--mapping",
            str(EXAMPLE / "deals.toml"),
            "--organisation",
            "maven",
            "--no-progress",
            stdout=out,
        )
        self.assertIn("created 0, updated 0, unchanged 8,800, rejected 0", out.getvalue())


@unittest.skipUnless(DATA.is_dir(), f"{DATA} is absent: the Maven example tests are skipped")
class MavenScriptTests(unittest.TestCase):
    def test_the_import_script_imports_the_whole_set(self):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "FOLLOWTHROUGH_VAR": tmp,
                "DJANGO_SETTINGS_MODULE": "followthrough.settings",
            }
            env.pop("DATABASE_URL", None)
            bin_dir = Path(sys.executable).parent
            env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
            subprocess.run([str(bin_dir / "followthrough"), "migrate", "-v0"], env=env, check=True)
            result = subprocess.run(
                ["bash", str(EXAMPLE / "import.sh"), str(DATA)],
                env=env,
                capture_output=True,
                text=True,
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("sales_pipeline.csv: 8,800 rows read; created 8,800", result.stdout)
