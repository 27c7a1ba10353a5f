"""followthrough metrics export|rebuild: the metrics from the command line.

export --from YYYY-MM-DD --to YYYY-MM-DD [--metric KEY ...] [--by person|team|organisation]
       [--format csv|json|xlsx] [--output FILE] [--organisation SLUG]
rebuild [--organisation SLUG] [--bulk]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followthrough.lib.progressbar import ProgressBar
from followthrough.metrics import export, rollups
from followthrough.metrics.engine import UnknownMetric
from followthrough.people.models import Organisation
from followthrough.people.organisations import organisation_from


def _date(text: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2017-03-31") from None


class Command(BaseCommand):
    help = "Export metric values, or rebuild the metric rollups from the facts."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        out = actions.add_parser(
            "export", help="metric values per person, team or organisation over a range"
        )
        out.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
        out.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
        out.add_argument("--metric", dest="metrics", action="append", metavar="KEY")
        out.add_argument("--by", choices=export.BY, default=export.BY_PERSON)
        out.add_argument("--format", dest="fmt", choices=export.FORMATS, default="csv")
        out.add_argument("--output", metavar="FILE")
        out.add_argument("--organisation", metavar="SLUG")
        again = actions.add_parser("rebuild", help="recompute the rollups from the facts")
        again.add_argument("--organisation", metavar="SLUG")
        again.add_argument("--no-progress", action="store_true")
        again.add_argument(
            "--bulk",
            action="store_true",
            help="drop the rollup indexes and build them again after the rows: much faster "
            "for a first fill of a large database, but pages wait until it ends",
        )

    def handle(self, *args, action, **options):
        if action == "export":
            self.export(**options)
        else:
            self.rebuild(**options)

    def export(self, *, start, end, metrics, by, fmt, output, organisation, **_):
        if end < start:
            raise CommandError(f"--to {end} is before --from {start}")
        org = organisation_from(organisation)
        try:
            rows = export.export_rows(org, start, end, metrics, by)
        except UnknownMetric as error:
            raise CommandError(f"{error}; see `followthrough metrics` in docs/metrics.md") from None
        if fmt == "xlsx":
            data = export.to_xlsx(rows, by)
            if output:
                Path(output).write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
            return
        text = export.to_json(rows, by) if fmt == "json" else export.to_csv(rows, by)
        if output:
            Path(output).write_text(text, encoding="utf-8", newline="")
        else:
            self.stdout.write(text, ending="")

    def rebuild(self, *, organisation, no_progress, bulk, **_):
        orgs = [organisation_from(organisation)] if organisation else Organisation.objects.all()
        for org in orgs:
            bar = None if no_progress else ProgressBar(f"{org.slug}: rollups", self.stderr)

            def progress(done: int, total: int, bar=bar) -> None:
                if bar is not None:
                    bar.update(done, total, done, "metrics")

            count = rollups.rebuild(org.pk, progress=progress, bulk=bulk)
            if bar is not None:
                bar.close()
            self.stdout.write(f"{org.slug}: {count:,} rollup rows rebuilt")
