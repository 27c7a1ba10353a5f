"""followthrough import KIND FILE --mapping MAPPING.toml [--source NAME] [--dry-run] [--skip-invalid] [--wait SECONDS]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError

from followthrough.audit.context import acting_as
from followthrough.ingest import presets
from followthrough.ingest.importer import Options, import_file, start_run
from followthrough.ingest.kinds import KINDS
from followthrough.ingest.mapping import MappingError, load_mapping
from followthrough.ingest.models import RunStatus
from followthrough.ingest.running import is_locked, live_runs, wait_for_writers
from followthrough.lib.progressbar import ProgressBar
from followthrough.people.organisations import organisation_from

# How long an import waits for another one writing to the same SQLite database.
WAIT_SECONDS = 3600


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of people, accounts, products, deals, activities, leads or deal-history."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--mapping",
            required=True,
            help=f"a mapping file, or a preset: {', '.join(presets.available())}",
        )
        parser.add_argument("--source", help="the source system's name (default: the mapping's)")
        parser.add_argument("--organisation", help="the organisation's short name (or its name)")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows, report the others"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--wait",
            type=float,
            default=WAIT_SECONDS,
            metavar="SECONDS",
            help="how long to wait for another import writing to the database "
            f"(default {WAIT_SECONDS:,} s)",
        )

    def handle(
        self,
        *args,
        kind,
        file,
        mapping,
        source,
        organisation,
        dry_run,
        skip_invalid,
        no_progress,
        wait,
        **opts,
    ):
        wait_for_writers(wait)
        for other in live_runs():
            self.stderr.write(
                f"import run {other.pk} ({other.kind} {other.file_name}) is running: "
                f"this import waits for it to finish writing (up to {wait:,.0f} s)"
            )
        try:
            run = self._import(
                kind, file, mapping, source, organisation, dry_run, skip_invalid, no_progress
            )
        except OperationalError as error:
            if not is_locked(error):
                raise
            raise CommandError(
                f"the database stayed busy with another import for {wait:,.0f} s: nothing was "
                "imported; run it again once the other has finished (or wait longer with --wait)"
            ) from None
        self._report(run, dry_run)

    def _import(
        self, kind, file, mapping, source, organisation, dry_run, skip_invalid, no_progress
    ):
        org = organisation_from(organisation)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        mapping_path = presets.resolve(mapping)
        try:
            parsed = load_mapping(mapping_path, kind=kind)
        except MappingError as error:
            raise CommandError(str(error)) from None
        options = Options(dry_run=dry_run, skip_invalid=skip_invalid, source=source)
        bar = None if no_progress else ProgressBar(f"{kind} {path.name}", stream=self.stderr._out)
        with acting_as(name="cli"):
            run = start_run(
                org, parsed, path.name, options, mapping_path.read_text(encoding="utf-8")
            )
            run = import_file(
                run,
                path,
                parsed,
                options,
                progress=(lambda r: bar.update(r.bytes_read, r.bytes_total, r.rows_read, r.status))
                if bar
                else None,
            )
        if bar:
            bar.update(run.bytes_total, run.bytes_total, run.rows_read, run.status)
            bar.close()
        return run

    def _report(self, run, dry_run) -> None:
        self.stdout.write(
            f"{run.file_name}: {run.rows_read:,} rows read; created {run.created:,}, "
            f"updated {run.updated:,}, unchanged {run.unchanged:,}, rejected {run.rejected:,}"
            + (" (dry run: nothing written)" if dry_run else "")
            + f" [import run {run.pk}]"
        )
        for warning in run.warnings:
            self.stdout.write(warning)
        if run.status == RunStatus.DONE and not run.rejected:
            return
        for problem in run.rejected_rows.all()[:20]:
            where = f"row {problem.row}" if problem.row else "file"
            self.stderr.write(
                f"{problem.file_name}, {where}, column {problem.column or '-'}"
                + (f", value {problem.value!r}" if problem.value else "")
                + f": {problem.reason}"
            )
        more = run.rejected_rows.count() - 20
        if more > 0:
            self.stderr.write(
                f"... and {more:,} more problems (followthrough import-errors {run.pk})"
            )
        if run.status == RunStatus.REJECTED:
            raise CommandError(
                f"nothing was imported from {run.file_name}: fix the rows above, or use --skip-invalid"
            )
