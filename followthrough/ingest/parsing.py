"""Parsed batches of a file, from this process or, for a large file, from a second one.

SQLite writes from one thread, and turning a row's text into values costs
Python about as much as writing it. With two cores, a forked child reads and
parses batches while this process stages the ones before: a large import
takes the longer of the two, not their sum.

The child is forked once the parser and its lookups are built, so it inherits
the open file and everything it needs, and it never touches the database: it
sends results through a pipe and leaves with os._exit (multiprocessing's fork
start does that), so the parent's connection is not closed or used under it.
A thread of this process drains the pipe into a queue of a few dozen batches:
this process works in bursts (a merge, adding up rollups) and the child would
otherwise wait whenever the pipe is full. Memory stays flat whatever the file size.

The child dies with this process, however it ends (`kill -9` included): Linux
kills it when its parent goes (PR_SET_PDEATHSIG), and it keeps no copy of the
pipe's reading end, so writing to the pipe of a parent that is gone fails at
once instead of waiting for a reader that never comes.
"""

from __future__ import annotations

import ctypes
import fcntl
import itertools
import marshal
import multiprocessing
import os
import queue
import signal
import threading
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.reduction import ForkingPickler

from followthrough.ingest.convert import Problem
from followthrough.ingest.readers import FileProblem, Table
from followthrough.ingest.rows import RowParser

BATCH = 5000
# About two pickled batches of short rows.
PIPE_BYTES = 1024 * 1024
# Pickled batches received ahead of this process (about 20 MB of short rows): more than
# the longest burst of its work takes the child to parse (adding up rollups, see
# metrics.rollups.ADD_UP_EVERY), so the child never waits for it.
AHEAD = 48
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Below this size forking costs more than it saves (about 200,000 short rows).
CHILD_FROM_BYTES = 16 * 1024 * 1024


@dataclass
class Parsed:
    """One batch: rows read, the good rows as staged, bad row numbers and their problems."""

    rows_read: int
    good: list[tuple]
    bad: set[int]
    problems: list[Problem]
    bytes_read: int
    # Values read with a warning: (what, row, column, cell), see RowParser.parse_batch.
    notes: list[tuple] = field(default_factory=list)

    # Sent to this process with marshal when the rows hold only text, numbers and None
    # (dates are staged as text): it writes and reads them a third faster than pickle.
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        try:
            state["good"] = marshal.dumps(self.good)
        except ValueError:
            pass  # a date or a decimal: pickled with the rest
        return state

    def __setstate__(self, state: dict) -> None:
        if isinstance(state["good"], bytes):
            state["good"] = marshal.loads(state["good"])
        self.__dict__.update(state)


def batched(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def parse_here(table: Table, parser: RowParser) -> Iterator[Parsed]:
    for batch in batched(table.rows, BATCH):
        problems: list[Problem] = []
        notes: list[tuple] = []
        good, bad = parser.parse_batch(batch, problems, notes)
        yield Parsed(len(batch), good, bad, problems, table.bytes_read, notes)


def usable_cores() -> int:
    """The cores this process may run on (where the system says; else all of them)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def child_helps(table: Table, threshold: int = CHILD_FROM_BYTES) -> bool:
    """Whether a second process is worth it, and safe: forking is, from a lone thread only."""
    return (
        table.size >= threshold
        and usable_cores() > 1
        and threading.active_count() == 1
        and "fork" in multiprocessing.get_all_start_methods()
    )


def parsed_batches(
    table: Table, parser: RowParser, threshold: int = CHILD_FROM_BYTES
) -> Iterator[Parsed]:
    """The file's batches in order; raises FileProblem where the file cannot be read."""
    if not child_helps(table, threshold):
        yield from parse_here(table, parser)
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    child = context.Process(
        target=_parse_in_child, args=(table, parser, sending, receiving, os.getpid()), daemon=True
    )
    child.start()
    sending.close()
    received: queue.Queue[bytes | None] = queue.Queue(AHEAD)
    stop = threading.Event()
    # Started after the fork: the child is forked from a lone thread (see child_helps).
    drain = threading.Thread(target=_receive, args=(receiving, received, stop), daemon=True)
    drain.start()
    try:
        while True:
            data = received.get()
            if data is None:
                raise RuntimeError(
                    f"the process parsing the file ended early (exit code {child.exitcode})"
                )
            message = ForkingPickler.loads(data)
            if isinstance(message, Parsed):
                yield message
            elif message[0] == "end":
                return
            elif message[0] == "file":
                raise FileProblem(message[1], row=message[2], column=message[3])
            else:
                raise RuntimeError(f"parsing the file failed in its process:\n{message[1]}")
    finally:
        stop.set()
        if child.is_alive():
            child.terminate()  # the parent stopped early: nothing more is wanted
        drain.join()  # the pipe's end (EOF) or `stop` ends it
        receiving.close()
        child.join()


def _receive(receiving, received: queue.Queue, stop: threading.Event) -> None:
    """Move the child's messages from the pipe to `received`, unread; None at the pipe's end.

    Reading waits without the GIL, so this runs while the other thread is in a
    database statement. Unpickling is left to that thread: it needs the GIL.
    """
    while not stop.is_set():
        try:
            data = receiving.recv_bytes()
        except (EOFError, OSError):
            data = None
        while not stop.is_set():
            try:
                received.put(data, timeout=0.1)
                break
            except queue.Full:
                continue
        if data is None:
            return


def _widen(end) -> None:
    """Let the child run a few batches ahead while this process merges (Linux: 64 KiB by default)."""
    try:
        with open("/proc/sys/fs/pipe-max-size") as limit:
            size = min(int(limit.read()), PIPE_BYTES)
        fcntl.fcntl(end.fileno(), F_SETPIPE_SZ, size)
    except (OSError, ValueError):
        pass  # not Linux, or not allowed: the child waits more often, nothing else changes


def die_with_parent(parent: int) -> None:
    """In a forked child: end when the parent `parent` ends (Linux; elsewhere the pipe tells)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # this process: libc included
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: a write to the pipe of a parent that is gone fails instead
    if os.getppid() != parent:
        os._exit(1)  # the parent ended before the line above: nobody wants the result


def _parse_in_child(table: Table, parser: RowParser, sending, receiving, parent: int) -> None:
    die_with_parent(parent)
    # The reading end is the parent's: a copy here would keep the pipe open after it died.
    receiving.close()
    # Ctrl-C reaches the whole process group: the parent stops the import, and the child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for parsed in parse_here(table, parser):
            sending.send(parsed)
        sending.send(("end",))
    except BrokenPipeError:
        pass  # the parent stopped reading: it wants no more
    except FileProblem as problem:
        sending.send(("file", problem.reason, problem.row, problem.column))
    except BaseException:
        sending.send(("error", traceback.format_exc()))
    finally:
        sending.close()
