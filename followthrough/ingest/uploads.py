"""Imports from the web: keep an upload, preview it, run it as a job, hand out its rejected rows.

An upload becomes a draft (kept in the uploader's session) until it is
previewed and started; then it is an import run, imported by a background job
with the same engine as the command line.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import logging
import re
import secrets
import time
import tomllib
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from followthrough.audit.context import acting_as
from followthrough.ingest import presets
from followthrough.ingest.csvout import REJECTED_HEADER, safe_cell
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
# A run still unfinished this long after it started will never finish.
STALLED_AFTER = dt.timedelta(hours=6)
UNFINISHED = (RunStatus.QUEUED, RunStatus.READING, RunStatus.WRITING)


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
    check_shapes(data, name)
    try:
        mapping = parse_mapping(data, kind=kind, name=name)
    except (TypeError, ValueError, AttributeError) as error:
        # An uploaded mapping may hold any TOML: a shape the parser does not expect is the
        # uploader's mistake to be told about, not a server error.
        raise MappingError(f"{name}: a value has the wrong type ({error})") from None
    return ChosenMapping(mapping, name, text)


TEXT_KEYS = ("kind", "source", "encoding", "delimiter", "timezone", "description")
FIELD_TEXT_KEYS = ("match", "split")


def check_shapes(data: dict, name: str) -> None:
    """Refuse values the import would only trip over later (after the upload, in the job)."""

    def fail(message: str):
        raise MappingError(f"{name}: {message}")

    for key in TEXT_KEYS:
        if key in data and not isinstance(data[key], str):
            fail(f"{key} must be text")
    if "delimiter" in data and len(data["delimiter"]) != 1:
        fail("delimiter must be one character, e.g. ';'")
    if "encoding" in data:
        try:
            codecs.lookup(data["encoding"])
        except LookupError:
            fail(f"unknown encoding {data['encoding']!r}")
    if "timezone" in data:
        try:
            zoneinfo.ZoneInfo(data["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            fail(f"unknown time zone {data['timezone']!r} (e.g. 'Europe/Amsterdam')")
    for table in ("columns", "fields"):
        if table in data and not isinstance(data[table], dict):
            fail(f"{table} must be a table")
    for field_name, options in data.get("fields", {}).items():
        if not isinstance(options, dict):
            continue
        for key in FIELD_TEXT_KEYS:
            if key in options and not isinstance(options[key], str):
                fail(f"fields.{field_name}.{key} must be text")
        formats = options.get("format", "")
        if not isinstance(formats, str) and not (
            isinstance(formats, list) and all(isinstance(f, str) for f in formats)
        ):
            fail(f"fields.{field_name}.format must be a format or a list of formats")


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
    """Turn a previewed draft into a queued import run (tasks.queue hands it to a worker)."""
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
    return run


def run_started_from(session, token: str) -> int | None:
    """The run a draft of this session became, if it was started."""
    return session.get(STARTED_KEY, {}).get(token)


def perform(run_id: int) -> ImportRun | None:
    """Import a queued run's stored file (the background job); the file is deleted after."""
    # Claim the run in one statement: a job delivered twice, or to two workers, imports once.
    queued = ImportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED)
    if not queued.update(status=RunStatus.READING):
        return ImportRun.objects.filter(pk=run_id).first()
    run = ImportRun.objects.select_related("organisation", "created_by").get(pk=run_id)
    try:
        mapping = mapping_from_text(run.mapping_text, run.kind, run.mapping_name).mapping
        options = Options(
            skip_invalid=run.skip_invalid, source=run.source, max_bytes=settings.UPLOAD_MAX_BYTES
        )
        with acting_as(user=run.created_by, name=run.created_by_name or None):
            return import_file(run, stored_path(run.stored_file), mapping, options)
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
        if STORED_NAME.fullmatch(run.stored_file):
            discard_upload(run.stored_file)
        ImportRun.objects.filter(pk=run_id).update(stored_file="")


def purge_stale_uploads(now: float | None = None) -> int:
    """Delete uploads never started (drafts abandoned at the preview); returns how many."""
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    cutoff = (now or time.time()) - DRAFT_LIFETIME.total_seconds()
    in_use = set(
        ImportRun.objects.filter(status__in=UNFINISHED)
        .exclude(stored_file="")
        .values_list("stored_file", flat=True)
    )
    removed = 0
    for path in folder.iterdir():
        if STORED_NAME.fullmatch(path.name) and path.name not in in_use:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def abandon_stalled_runs(now: dt.datetime | None = None) -> int:
    """Fail runs unfinished long after they started: their job died with its worker, or no
    worker ever ran. The page stops waiting; the import's transaction wrote nothing."""
    now = now or timezone.now()
    stalled = ImportRun.objects.filter(status__in=UNFINISHED, created_at__lt=now - STALLED_AFTER)
    for name in stalled.exclude(stored_file="").values_list("stored_file", flat=True):
        discard_upload(name)
    return stalled.update(
        status=RunStatus.FAILED,
        finished_at=now,
        stored_file="",
        message="not finished after "
        f"{STALLED_AFTER.total_seconds() / 3600:.0f} hours: the background worker stopped or never ran",
    )


# Rejected rows as CSV, streamed, in the same safe form as the command line writes them.


def rejected_rows_csv(run: ImportRun) -> Iterator[str]:
    """The run's rejected rows as CSV lines: cells a spreadsheet would run are quoted."""
    rows = RejectedRow.objects.filter(run=run).order_by("row", "pk")
    records: Iterable = rows.values_list("file_name", "row", "column", "value", "reason")

    class Line:
        def write(self, text: str) -> str:
            return text

    writer = csv.writer(Line())
    yield writer.writerow(REJECTED_HEADER)
    for record in records.iterator(chunk_size=2000):
        yield writer.writerow([safe_cell(value) for value in record])
