"""Run one import: read, check, stage, and write all or nothing.

The same function serves the CLI, the web upload (as a background job) and
the demo generator. Every run is kept with its counts and rejected rows.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from operator import itemgetter
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from followthrough.audit.context import current_actor
from followthrough.crm.credit import resolve_shares
from followthrough.crm.models import Deal
from followthrough.ingest import history
from followthrough.ingest.convert import Problem, file_clock, org_zone
from followthrough.ingest.lookups import build_lookups
from followthrough.ingest.mapping import Mapping
from followthrough.ingest.models import ImportRun, RunStatus
from followthrough.ingest.notices import Notices
from followthrough.ingest.outcome import NO_ROWS, finish
from followthrough.ingest.parsing import CHILD_FROM_BYTES, child_helps, parsed_batches
from followthrough.ingest.people import import_people
from followthrough.ingest.readers import FileProblem, Table, open_table
from followthrough.ingest.rows import RowParser, find_column, header_index
from followthrough.ingest.running import fail_dead_runs, running
from followthrough.ingest.staging import (
    Stage,
    build_indexes,
    bulk_writing,
    drop_model_indexes,
    merge_and_count,
)
from followthrough.metrics.rollups import ImportTracker
from followthrough.people.models import Organisation

PROGRESS_EVERY = 0.5  # seconds between progress updates
KEEP_PROBLEMS = 100_000  # rejected rows kept in detail per run; the count is always exact
REFERENCE_GONE = (
    "a record this file refers to was deleted while it was imported: nothing was written; "
    "import the file again"
)
STORED_MEANWHILE = (
    "another import of the same source stored some of these rows while this one ran: "
    "nothing was written; import the file again"
)
# While a second process parses, staged rows are merged this many at a time: a few
# batches, well within what is received ahead (parsing.AHEAD), so the child parses on
# during a merge. 20,000 and 60,000 measured the same; fewer costs more statements.
MERGE_EVERY = 20_000


@dataclass
class Options:
    dry_run: bool = False
    skip_invalid: bool = False
    source: str | None = None
    max_bytes: int | None = None
    # Files from this size are parsed in a second process (see parsing.py).
    parallel_from: int = CHILD_FROM_BYTES
    # Merge while a second process parses (SQLite; see Writer), this many rows at a time.
    pipeline: bool = True
    merge_every: int = MERGE_EVERY


def start_run(
    org: Organisation, mapping: Mapping, file_name: str, options: Options, mapping_text: str = ""
) -> ImportRun:
    fail_dead_runs()
    actor = current_actor()
    return ImportRun.objects.create(
        organisation=org,
        kind=mapping.kind.name,
        source=options.source or mapping.source,
        file_name=file_name,
        mapping_name=Path(mapping.path).name,
        mapping_text=mapping_text,
        created_by=actor.user if actor.user is not None and actor.user.pk else None,
        created_by_name=actor.name,
        dry_run=options.dry_run,
        skip_invalid=options.skip_invalid,
    )


class Progress:
    """Throttled progress reports: to the run row (for the web) and a callback (the CLI)."""

    def __init__(self, run: ImportRun, callback: Callable[[ImportRun], None] | None):
        self.run, self.callback, self.last = run, callback, 0.0

    def __call__(self, table: Table | None = None, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        if table is not None:
            self.run.bytes_read = table.bytes_read
        ImportRun.objects.filter(pk=self.run.pk).update(
            status=self.run.status,
            bytes_read=self.run.bytes_read,
            bytes_total=self.run.bytes_total,
            rows_read=self.run.rows_read,
        )
        if self.callback:
            self.callback(self.run)


@contextmanager
def checking_again(unchecked: bool) -> Iterator[None]:
    """Foreign keys enforced again on leaving, if they were not (outside the transaction)."""
    try:
        yield
    finally:
        if unchecked:
            connection.enable_constraint_checking()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector rarely while rows stream through.

    Every batch holds thousands of lists that live long enough to be scanned
    again and again: with the default thresholds the collector took a third of
    the time of reading a large file. Rows make no reference cycles, so reference
    counting frees them; the collector still runs, a hundred times less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def import_file(
    run: ImportRun,
    path: str | Path,
    mapping: Mapping,
    options: Options,
    progress: Callable[[ImportRun], None] | None = None,
) -> ImportRun:
    """Import `path` into `run`'s organisation; returns the finished run."""
    with running(run), fewer_collections():
        return _import_file(run, path, mapping, options, progress)


def _import_file(
    run: ImportRun,
    path: str | Path,
    mapping: Mapping,
    options: Options,
    progress: Callable[[ImportRun], None] | None,
) -> ImportRun:
    report = Progress(run, progress)
    org = run.organisation
    file_name = run.file_name
    run.status = RunStatus.READING
    try:
        table = open_table(
            path,
            encoding=mapping.encoding,
            delimiter=mapping.delimiter,
            max_bytes=options.max_bytes or settings.IMPORT_MAX_BYTES,
        )
    except FileProblem as problem:
        return finish(run, [Problem(problem.row, problem.column, "", problem.reason)])
    run.bytes_total = table.size
    report(force=True)
    problems = check_header(table, mapping)
    if problems:
        return finish(run, problems)
    ignored = mapping.extra.get("ignored_columns")
    if ignored:
        run.warnings = [*run.warnings, f"Columns not in the mapping, ignored: {', '.join(ignored)}"]
    if mapping.kind.name == "people":
        return import_people(run, table, mapping, options, report)

    zone, tz, today = file_clock(org.timezone, mapping.timezone)
    self_refs = {
        f.name for f in mapping.kind.fields if f.type == "ref" and f"{f.ref}s" == mapping.kind.name
    }
    parser = RowParser(
        mapping,
        table.header,
        build_lookups(org, mapping, skip=self_refs),
        tz,
        today,
        file_name,
        derived=mapping.kind.derived,
        day_zone=zone,
    )
    stage = Stage(f"ft_stage_{run.pk}", mapping.kind, parser.fields, list(mapping.kind.derived))
    source = options.source or mapping.source
    # With a second process parsing, this one merges what is staged while it waits for more.
    pipelined = (
        options.pipeline
        and connection.vendor == "sqlite"
        and mapping.kind.name != "deal-history"
        and child_helps(table, options.parallel_from)
    )
    writer = Writer(stage, org, source, zone, self_refs, options.merge_every, pipelined)
    problems: list[Problem] = []
    rejected_rows: set[int] = set()
    warnings = list(run.warnings)
    names = [f.name for f in parser.fields]
    notices = Notices(1 + names.index("owner") if "owner" in names else None)

    def read_file() -> None:
        """Stage every good row of the file; bad rows and unreadable rest go to `problems`."""
        nonlocal options
        try:
            for parsed in parsed_batches(table, parser, options.parallel_from):
                run.rows_read += parsed.rows_read
                rejected_rows.update(parsed.bad)
                notices.see(parsed.good, parsed.notes)
                problems.extend(parsed.problems[: max(0, KEEP_PROBLEMS - len(problems))])
                run.bytes_read = parsed.bytes_read
                if pipelined and parsed.good and (options.skip_invalid or not problems):
                    if not writer.planned:
                        writer.expect(run.rows_read * table.size // max(1, parsed.bytes_read))
                    writer.write(parsed.good)
                else:
                    writer.stage_rows(parsed.good)
                report()
            if not run.rows_read:
                problems.append(Problem(1, "", "", NO_ROWS))
        except FileProblem as problem:
            # The rest of the file cannot be read: nothing of it is written.
            problems.append(Problem(problem.row, problem.column, "", problem.reason))
            options = Options(**{**options.__dict__, "skip_invalid": False})

    def check_duplicates() -> bool:
        """Reject rows repeating an earlier row's key; whether there were any."""
        stage.analyze()
        if mapping.kind.name == "deal-history":
            return False
        duplicates = stage.duplicates()
        for row, key, first in duplicates:
            rejected_rows.add(row)
            problems.append(
                Problem(
                    row,
                    _column(mapping, "external_id"),
                    key,
                    f"the same external id as row {first}",
                )
            )
        stage.drop_rows([row for row, _, _ in duplicates])
        run.rejected = len(rejected_rows)
        return bool(duplicates)

    try:
        with bulk_writing():
            stage.create()
            if pipelined:
                # Merged straight from the file, a first import checks its references
                # itself (see Writer.references_gone): a foreign key check per reference
                # and row cost SQLite 0.35 s per million rows.
                unchecked = writer.direct and connection.disable_constraint_checking()
                with checking_again(unchecked), transaction.atomic():
                    read_file()
                    refused = bool(problems) and not options.skip_invalid
                    if not refused:
                        writer.merge_rest()
                    if writer.all_new() and not refused:
                        run.rejected, again = len(rejected_rows), False
                    elif writer.direct:
                        # Its rows went from the file to the facts unstaged: finding their
                        # repeats, or all the problems of a refused file, needs them staged.
                        again = True
                    else:
                        # Rows merged early may have been overwritten by their repeats: this
                        # rare case is read again, merged after the check, from the start.
                        again = check_duplicates() and not refused
                    gone = "" if refused or again else writer.references_gone()
                    if gone:
                        problems.append(Problem(0, _column(mapping, gone), "", REFERENCE_GONE))
                    if refused or again or gone:
                        transaction.set_rollback(True)
                        pipelined = not again
                    else:
                        run.status = RunStatus.WRITING
                        report(force=True)
                        writer.finish()
                        run.created, run.updated, run.unchanged = writer.counts
                        notices.check_deals(stage, org.pk, source)
                        run.warnings = [*run.warnings, *notices.lines()]
                        if options.dry_run:
                            transaction.set_rollback(True)
                if not pipelined:
                    run.rows_read = run.rejected = 0
                    run.warnings = warnings
                    stage.drop()
                    return _import_file(
                        run, path, mapping, replace(options, pipeline=False), progress
                    )
                return finish(run, problems)
            read_file()
            check_duplicates()
            if problems and not options.skip_invalid:
                return finish(run, problems)
            run.status = RunStatus.WRITING
            report(force=True)
            with transaction.atomic():
                writer.merge_all()
                writer.finish()
                run.created, run.updated, run.unchanged = writer.counts
                notices.check_deals(stage, org.pk, source)
                run.warnings = [*run.warnings, *notices.lines()]
                # Only once the rollups have been refreshed: no query runs after this.
                if options.dry_run:
                    transaction.set_rollback(True)
    except IntegrityError as error:
        reason = _refused_by(error, mapping.kind.model)
        if not reason:
            raise
        # Someone else changed what the import relies on while it ran. Nothing was written.
        run.status = RunStatus.REJECTED
        return finish(run, [Problem(0, "", "", reason), *problems])
    finally:
        stage.drop()
    return finish(run, problems)


def _refused_by(error: IntegrityError, model) -> str:
    """Why the database refused an import's writes, if another connection's changes did."""
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state == "23503" or "FOREIGN KEY constraint" in str(error):
        # A record the file refers to was deleted (its look-ups were read before).
        return REFERENCE_GONE
    constraint = getattr(getattr(cause, "diag", None), "constraint_name", None) or ""
    table = model._meta.db_table
    if constraint.endswith("_unique_source_id") or f"UNIQUE constraint failed: {table}." in str(
        error
    ):
        # A first import of the source, merged with a plain INSERT, met rows that another
        # import of the same source stored meanwhile.
        return STORED_MEANWHILE
    return ""


class Writer:
    """Merges the staged rows into the facts, keeping history and rollups: counts are kept in `counts`.

    `merge_all` merges the whole stage; `write` merges rows as they are read, so
    that merging overlaps reading: staged and merged a few batches at a time, or on
    a first import straight from the parsed rows (`direct`, see `expect`).
    """

    def __init__(
        self,
        stage: Stage,
        org: Organisation,
        source: str,
        tz,
        self_refs: set[str],
        every: int = MERGE_EVERY,
        pipelined: bool = False,
    ):
        self.stage, self.org, self.source, self.tz = stage, org, source, tz
        self.self_refs, self.every, self.pipelined = self_refs, every, pipelined
        # Whether nothing of this source is stored yet: then every staged row is new.
        model = stage.kind.model
        self.first = stage.kind.name != "deal-history" and not (
            model._default_manager.filter(organisation_id=org.pk, source=source).exists()
        )
        # A first import merged as it is read (SQLite) takes the parsed rows straight to
        # the facts, unstaged: nothing stored can repeat them, and a repeat within the
        # file shows in the counts (see all_new). Deals are staged, for their history, and
        # so are files referring to their own rows, settled from the stage after the merges.
        self.direct = pipelined and self.first and stage.kind.name != "deals" and not self_refs
        # Where each reference is staged, and the ids the rows merged directly hold there
        # (see references_gone).
        self.references = {
            f.name: stage.columns.index(f.column)
            for f in model._meta.concrete_fields
            if f.is_relation and f.column in stage.columns
        }
        self.used: dict[str, set] = {name: set() for name in self.references}
        self.used["organisation"] = {org.pk}
        # On SQLite the merges tell which facts they added (see merge_and_count).
        sqlite = connection.vendor == "sqlite"
        self.tracker = ImportTracker(stage, org.pk, source, first=self.first, ids_known=sqlite)
        self.counts = (0, 0, 0)
        self.rebuild: list[str] = []  # statements building indexes dropped for the merges
        self.planned = False  # whether `expect` was told the file's size
        self.rows = 0  # rows staged
        self.merged = 0  # the last row number merged
        self.staged = 0  # the last row number staged

    def expect(self, rows: int) -> None:
        """Before the first `write`: a first import of `rows` into a table holding fewer
        builds the table's own indexes after its merges (see drop_model_indexes)."""
        self.planned = True
        if not self.first or self.merged:
            return
        model = self.stage.kind.model
        largest = model._default_manager.aggregate(largest=Max("pk"))["largest"] or 0
        if largest < rows:
            self.rebuild = drop_model_indexes(model)

    def stage_rows(self, rows: list[tuple]) -> None:
        """Stage a batch, to be merged later."""
        self.stage.insert(rows)
        self.rows += len(rows)
        self.tracker.see(rows)

    def write(self, rows: list[tuple]) -> None:
        """Merge a batch now (`direct`), or stage it and merge once enough are staged."""
        if self.direct:
            self.rows += len(rows)
            for name, index in self.references.items():
                self.used[name].update(map(itemgetter(index), rows))
            self.merge_all(rows)
            self.merged = self.staged = rows[-1][0]
            return
        self.stage_rows(rows)
        self.staged = rows[-1][0]
        if self.staged - self.merged >= self.every:
            self.merge_rest()

    def merge_rest(self) -> None:
        """Merge the rows staged since the last merge."""
        if self.staged > self.merged:
            with self.stage.rows_between(self.merged + 1, self.staged):
                self.merge_all()
            self.merged = self.staged

    def all_new(self) -> bool:
        """After merging every staged row: whether each was new, so none repeats another.

        On a first import a repeated key is merged as an update of the row before
        it, so the count of new rows tells, without the duplicate check's sort.
        """
        return self.first and self.merged == self.staged and self.counts[0] == self.rows

    def references_gone(self) -> str:
        """After merging directly: a reference field with an id no longer stored ('' if none).

        The merges ran without SQLite's foreign key checks: every id came from the
        look-ups, read before the import's transaction, so this looks each distinct id
        up once, inside it (other writers wait until it ends).
        """
        if not self.direct:
            return ""
        model = self.stage.kind.model
        for name, ids in self.used.items():
            ids.discard(None)
            target = model._meta.get_field(name).related_model._default_manager
            listed = sorted(ids)
            found = sum(
                target.filter(pk__in=listed[start : start + 500]).count()
                for start in range(0, len(listed), 500)
            )
            if found < len(listed):
                return name
        return ""

    def merge_all(self, rows: list[tuple] | None = None) -> None:
        """Merge the stage, or `rows` instead (see merge_and_count)."""
        stage, org_id, source = self.stage, self.org.pk, self.source
        self.tracker.before_merge()
        if stage.kind.name == "deal-history":
            counts = history.merge_stage_history(stage, self.org, self.tz)
        else:
            if stage.kind.name == "deals":
                moved_on = history.record_deal_changes(
                    stage, org_id, source, timezone.now(), self.tz
                )
                if moved_on is not None:
                    self.tracker.moves_added(moved_on)
            # Merged after the duplicate check, a first import's rows are all new.
            new = self.first and not self.pipelined
            counts, after_id = merge_and_count(stage, org_id, source, timezone.now(), rows, new=new)
            if after_id is not None:
                self.tracker.added(after_id, counts[0])
        self.counts = tuple(a + b for a, b in zip(self.counts, counts, strict=True))

    def finish(self) -> None:
        """After the last merge: links within the file, then the rollups."""
        build_indexes(self.rebuild)
        history.after_merge(self.stage, self.org.pk, self.source, self.self_refs)
        self.tracker.refresh()
        if self.stage.kind.model is Deal:
            # Owners, dates and co-owners decide shares (rollups hold none: see crm/credit.py).
            resolve_shares(self.org.pk)


def _column(mapping: Mapping, field: str) -> str:
    fmap = mapping.fields.get(field)
    return fmap.column if fmap else field


def check_header(table: Table, mapping: Mapping) -> list[Problem]:
    """Problems with the header as a whole: missing or repeated mapped columns."""
    problems = []
    counts: dict[str, int] = {}
    for name in table.header:
        counts[name] = counts.get(name, 0) + 1
    index = header_index(table.header)
    used = set()
    for fmap in mapping.fields.values():
        for part in fmap.parts:
            position = find_column(index, part)
            if position is None and fmap.optional:
                continue
            if position is None:
                hint = ""
                if len(table.header) == 1 and any(d in table.header[0] for d in ";\t|,"):
                    hint = " (one column only: is the delimiter right?)"
                problems.append(
                    Problem(
                        1,
                        part,
                        "",
                        f"column not found in the header{hint}; the header has: "
                        + ", ".join(table.header[:30]),
                    )
                )
            elif counts[table.header[position]] > 1:
                problems.append(
                    Problem(1, part, "", "this column appears more than once in the header")
                )
            else:
                used.add(table.header[position])
    unknown = [name for name in counts if name and name not in used and name not in mapping.columns]
    if unknown:
        if mapping.strict_columns:
            problems.extend(Problem(1, name, "", "column not in the mapping") for name in unknown)
        else:
            mapping.extra["ignored_columns"] = unknown
    return problems


def today_in(org: Organisation) -> dt.date:
    return timezone.now().astimezone(org_zone(org.timezone)).date()
