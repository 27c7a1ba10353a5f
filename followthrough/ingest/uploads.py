"""Imports from the web: keep an upload, preview it, run it as a job, hand out its rejected rows.

An upload becomes a draft (kept in the uploader's session) until it is
previewed and started; then it is an import run, imported by a background job
with the same engine as the command line.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import re
import secrets
import time
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from followthrough.audit.context import acting_as
from followthrough.ingest import presets
from followthrough.ingest.importer import Options, import_file, start_run
from followthrough.ingest.mapping import Mapping, MappingError, parse_mapping
from followthrough.ingest.models import ImportRun, RejectedRow, RunStatus
from followthrough.people.models import Person

logger = logging.getLogger(__name__)

UPLOAD_DIR = "imports"
# The suffix is kept (the reader tells CSV from XLSX by it); the rest of the name is ours.
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
STORED_NAME = re.compile(r"[0-9a-f]{32}\.(csv|tsv|txt|xlsx|xlsm)")
MAPPING_MAX_BYTES = 256 * 1024
DRAFTS_KEY = "ingest_drafts"
STARTED_KEY = "ingest_started"
MAX_DRAFTS = 5
# An upload nobody started within this time is deleted by the periodic clean-up.
DRAFT_LIFETIME = dt.timedelta(days=1)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR


def store_upload(upload: UploadedFile) -> str:
    """Save an uploaded file under a generated name; returns that name."""
    suffix = Path(upload.name or "").suffix.lower()
    name = secrets.token_hex(16) + (suffix if suffix in SUFFIXES else ".csv")
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("xb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def stored_path(name: str) -> Path:
    """The path of a stored upload; refuses anything but a name store_upload made."""
    if not STORED_NAME.fullmatch(name):
        raise ValueError(f"not a stored upload name: {name!r}")
    return upload_dir() / name


def discard_upload(name: str) -> None:
    if name:
        stored_path(name).unlink(missing_ok=True)


# Mappings: a shipped preset or an uploaded TOML file.


@dataclass(frozen=True)
class ChosenMapping:
    mapping: Mapping
    name: str
    text: str


def preset_mapping(preset: str, kind: str) -> ChosenMapping:
    """The preset `preset` (one of presets.available()) for `kind`; raises MappingError."""
    if preset not in presets.available():
        raise MappingError(f"{preset}: no such preset")
    text = presets.resolve(preset).read_text(encoding="utf-8")
    return mapping_from_text(text, kind, f"{preset}.toml")


def mapping_from_text(text: str, kind: str, name: str) -> ChosenMapping:
    """Parse mapping TOML for `kind`; raises MappingError naming the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{name}: not valid TOML: {error}") from None
    return ChosenMapping(parse_mapping(data, kind=kind, name=name), name, text)


def mapping_from_upload(upload: UploadedFile, kind: str) -> ChosenMapping:
    name = Path(upload.name or "mapping.toml").name[:200]
    if upload.size > MAPPING_MAX_BYTES:
        raise MappingError(f"{name}: a mapping file is at most {MAPPING_MAX_BYTES:,} bytes")
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise MappingError(f"{name}: not a UTF-8 text file") from None
    return mapping_from_text(text, kind, name)


# Drafts: uploaded and mapped, waiting for the preview to be confirmed.


@dataclass
class Draft:
    token: str
    person_id: int
    kind: str
    stored: str
    file_name: str
    mapping_name: str
    mapping_text: str
    skip_invalid: bool
    created: float = field(default_factory=time.time)

    def mapping(self) -> Mapping:
        return mapping_from_text(self.mapping_text, self.kind, self.mapping_name).mapping


def save_draft(
    session,
    person: Person,
    kind: str,
    upload: UploadedFile,
    chosen: ChosenMapping,
    skip_invalid: bool,
) -> Draft:
    """Store the upload and remember it in the session; the oldest drafts make room."""
    draft = Draft(
        token=secrets.token_urlsafe(12),
        person_id=person.pk,
        kind=kind,
        stored=store_upload(upload),
        file_name=Path(upload.name or "upload").name[:300],
        mapping_name=chosen.name,
        mapping_text=chosen.text,
        skip_invalid=skip_invalid,
    )
    drafts = dict(session.get(DRAFTS_KEY, {}))
    drafts[draft.token] = asdict(draft)
    for token in sorted(drafts, key=lambda t: drafts[t]["created"])[:-MAX_DRAFTS]:
        discard_upload(drafts.pop(token)["stored"])
    session[DRAFTS_KEY] = drafts
    return draft


def get_draft(session, token: str, person: Person) -> Draft | None:
    data = session.get(DRAFTS_KEY, {}).get(token)
    if data is None or data["person_id"] != person.pk:
        return None
    draft = Draft(**data)
    return draft if stored_path(draft.stored).exists() else None


def drop_draft(session, token: str, *, delete_file: bool) -> None:
    drafts = dict(session.get(DRAFTS_KEY, {}))
    data = drafts.pop(token, None)
    if data and delete_file:
        discard_upload(data["stored"])
    session[DRAFTS_KEY] = drafts


# Running: an import run queued for the background job.


def start_draft(session, draft: Draft, person: Person) -> ImportRun:
    """Turn a previewed draft into a queued import run and hand it to the job queue."""
    from followthrough.ingest.tasks import run_import

    mapping = draft.mapping()
    options = Options(skip_invalid=draft.skip_invalid)
    with acting_as(user=person.user, name=person.name):
        run = start_run(person.organisation, mapping, draft.file_name, options, draft.mapping_text)
    run.stored_file = draft.stored
    run.save(update_fields=["stored_file"])
    drop_draft(session, draft.token, delete_file=False)
    started = dict(session.get(STARTED_KEY, {}))
    started[draft.token] = run.pk
    session[STARTED_KEY] = dict(list(started.items())[-MAX_DRAFTS:])
    transaction.on_commit(lambda: run_import(run.pk))
    return run


def run_started_from(session, token: str) -> int | None:
    """The run a draft of this session became, if it was started."""
    return session.get(STARTED_KEY, {}).get(token)


def perform(run_id: int) -> ImportRun | None:
    """Import a queued run's stored file (the background job); the file is deleted after."""
    run = ImportRun.objects.select_related("organisation", "created_by").filter(pk=run_id).first()
    # A job delivered twice must not import twice.
    if run is None or run.status != RunStatus.QUEUED:
        return run
    path = stored_path(run.stored_file)
    try:
        mapping = mapping_from_text(run.mapping_text, run.kind, run.mapping_name).mapping
        options = Options(
            skip_invalid=run.skip_invalid, source=run.source, max_bytes=settings.UPLOAD_MAX_BYTES
        )
        with acting_as(user=run.created_by, name=run.created_by_name or None):
            return import_file(run, path, mapping, options)
    except Exception:
        # The job must leave a finished run behind, whatever went wrong: the page polls it.
        logger.exception("import run %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message="unexpected error: see the server log",
        )
        return ImportRun.objects.get(pk=run_id)
    finally:
        path.unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run_id).update(stored_file="")


def purge_stale_uploads(now: float | None = None) -> int:
    """Delete uploads never started (drafts abandoned at the preview); returns how many."""
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - DRAFT_LIFETIME.total_seconds()
    waiting = set(
        ImportRun.objects.filter(status=RunStatus.QUEUED)
        .exclude(stored_file="")
        .values_list("stored_file", flat=True)
    )
    removed = 0
    for path in folder.iterdir():
        if STORED_NAME.fullmatch(path.name) and path.name not in waiting:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


# Rejected rows as CSV, safe to open in a spreadsheet.


def spreadsheet_safe(value: str) -> str:
    """Quote a cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


REJECTED_HEADER = ("file", "row", "column", "value", "reason")


def rejected_rows_csv(run: ImportRun) -> Iterator[str]:
    """The run's rejected rows as CSV lines, streamed."""
    rows = RejectedRow.objects.filter(run=run).order_by("row", "pk")
    records: Iterable = rows.values_list("file_name", "row", "column", "value", "reason")

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    yield writer.writerow(REJECTED_HEADER)
    for file_name, row, column, value, reason in records.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                spreadsheet_safe(file_name),
                "" if row is None else row,
                spreadsheet_safe(column),
                spreadsheet_safe(value),
                spreadsheet_safe(reason),
            ]
        )
