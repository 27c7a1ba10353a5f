"""The end of an import run: its outcome and rejected rows, stored whatever the import kind."""

from __future__ import annotations

from django.utils import timezone

from followthrough.ingest.convert import Problem
from followthrough.ingest.models import ImportRun, RejectedRow, RunStatus

NO_ROWS = "the file has a header but no rows below it"


def finish(run: ImportRun, problems: list[Problem]) -> ImportRun:
    """Store the outcome and every rejected row, outside any rolled-back transaction."""
    wrote = run.status == RunStatus.WRITING
    if problems and not wrote:
        run.status = RunStatus.REJECTED
        run.created = run.updated = run.unchanged = 0
        run.rejected = run.rejected or len({p.row for p in problems})
        first = problems[0]
        where = f"row {first.row}, " if first.row else ""
        run.message = f"{run.file_name}, {where}column {first.column or '-'}: {first.reason}"
    else:
        run.status = RunStatus.DONE
        if problems:
            run.message = f"{run.rejected} rows skipped; the others were written"
        if run.dry_run:
            run.message = (run.message + "; " if run.message else "") + "dry run: nothing written"
    run.finished_at = timezone.now()
    run.bytes_read = run.bytes_total
    run.save()
    RejectedRow.objects.bulk_create(
        (
            RejectedRow(
                run=run,
                file_name=run.file_name,
                row=p.row,
                column=p.column[:300],
                value=p.value[:300],
                reason=p.reason[:500],
            )
            for p in problems
        ),
        batch_size=1000,
    )
    return run
