"""Which imports are still running, and which died without a word.

While an import runs, its process holds an exclusive lock on a small file named
for the run (var/imports/). The system releases the lock when the process ends,
however it ends (`kill -9` included), and only then: a run still reading or
writing whose file is there but no longer locked was left by a dead process, and
is marked failed the next time an import starts. A run of another machine has no
file here and is left alone.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from followthrough.ingest.models import ImportRun, RunStatus

LIVE = (RunStatus.READING, RunStatus.WRITING)
DIED = "the import's process ended before the import did (it was stopped or killed): nothing was written"


def lock_folder() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _lock_path(run: ImportRun) -> Path:
    return lock_folder() / f"run-{run.pk}.lock"


def _stamp(run: ImportRun) -> str:
    # The same run, not an earlier one of the same number (a database made anew).
    return f"{run.organisation_id} {run.created_at.isoformat()}"


@contextmanager
def running(run: ImportRun) -> Iterator[None]:
    """Hold the run's lock while the block runs."""
    folder = lock_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = _lock_path(run)
    handle = path.open("a+")
    keep = False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(_stamp(run))
        handle.flush()
        try:
            yield
        except BaseException as error:
            # Said now if the database lets us; else by the next import to start.
            keep = not _mark_failed(run, error)
            raise
        finally:
            if not keep:
                path.unlink(missing_ok=True)
    finally:
        handle.close()


def _mark_failed(run: ImportRun, error: BaseException) -> bool:
    reason = (
        "stopped" if isinstance(error, KeyboardInterrupt) else str(error) or type(error).__name__
    )
    try:
        ImportRun.objects.filter(pk=run.pk, status__in=(*LIVE, RunStatus.QUEUED)).update(
            status=RunStatus.FAILED,
            message=f"the import stopped ({reason[:300]}): nothing was written",
            finished_at=timezone.now(),
        )
    except DatabaseError:
        return False
    return True


def _held(path: Path) -> bool:
    """Whether a live process holds the lock on `path`."""
    try:
        handle = path.open("r")
    except FileNotFoundError:
        return True  # finished meanwhile, or not of this machine
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def live_runs() -> list[ImportRun]:
    """Runs reading or writing in a live process of this machine."""
    return [
        run
        for run in ImportRun.objects.filter(status__in=LIVE)
        if _lock_path(run).exists() and _held(_lock_path(run))
    ]


def fail_dead_runs() -> list[int]:
    """Mark failed the runs whose process died (see the module's docstring): their ids."""
    folder = lock_folder()
    if not folder.is_dir():
        return []
    numbers = []
    for name in os.listdir(folder):
        if name.startswith("run-") and name.endswith(".lock"):
            number = name[4:-5]
            if number.isdigit():
                numbers.append(int(number))
    if not numbers:
        return []
    dead = []
    runs = ImportRun.objects.filter(pk__in=numbers)
    for run in runs.exclude(status__in=(*LIVE, RunStatus.QUEUED)):
        if not _held(_lock_path(run)):
            _lock_path(run).unlink(missing_ok=True)  # finished: a file left by a crash
    for run in runs.filter(status__in=LIVE):
        path = _lock_path(run)
        if _held(path):
            continue
        try:
            stamp = path.read_text()
        except FileNotFoundError:
            continue
        if stamp == _stamp(run):
            dead.append(run.pk)
        path.unlink(missing_ok=True)
    if dead:
        ImportRun.objects.filter(pk__in=dead, status__in=LIVE).update(
            status=RunStatus.FAILED, message=DIED, finished_at=timezone.now()
        )
    return dead


def wait_for_writers(seconds: float) -> None:
    """SQLite: wait up to `seconds` for another writer (a running import) before giving up."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")


def is_locked(error: Exception) -> bool:
    """Whether a database error says another writer kept the database too long (SQLite)."""
    return "database is locked" in str(error) or "database table is locked" in str(error)
