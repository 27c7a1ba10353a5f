"""`metrics export --format json`: the first key is the CSV's first column (docs/metrics.md)."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from tests.cast import BaseTestCase


class ExportJsonKeyTests(BaseTestCase):
    def export(self, *extra: str) -> list[dict]:
        out = io.StringIO()
        call_command(
            "metrics",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--metric",
            "deals_won",
            "--format",
            "json",
            "--organisation",
            "Acme",
            *extra,
            stdout=out,
        )
        return json.loads(out.getvalue())

    def test_by_person_each_object_names_the_person(self):
        rows = self.export()
        self.assertTrue(rows)
        self.assertEqual({tuple(row) for row in rows}, {("person", "metric", "value")})

    def test_by_team_each_object_names_the_team(self):
        rows = self.export("--by", "team")
        self.assertTrue(rows)
        self.assertEqual({tuple(row) for row in rows}, {("team", "metric", "value")})
        self.assertIn("Alpha", {row["team"] for row in rows})
