"""followthrough import-errors RUN_ID [--output FILE]: an import run's rejected rows as CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followthrough.ingest.csvout import write_rejected_rows
from followthrough.ingest.models import ImportRun


class Command(BaseCommand):
    help = "Write the rejected rows of an import run as CSV (file, row, column, value, reason)."

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, run_id, output, **opts):
        try:
            run = ImportRun.objects.get(pk=run_id)
        except ImportRun.DoesNotExist:
            raise CommandError(f"no import run {run_id}") from None
        if output:
            with Path(output).open("w", newline="", encoding="utf-8") as out:
                write_rejected_rows(run, out)
            self.stderr.write(f"{run.rejected_rows.count():,} problems written to {output}")
            return
        write_rejected_rows(run, self.stdout._out)
