"""Imports in real processes: killed with `kill -9`, or two at once on one SQLite database.

Each test runs `followthrough` (or a small script) in processes of its own, on a
database of its own in a temporary folder, as an operator would.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from followthrough.ingest.parsing import usable_cores

BIN = Path(sys.executable).parent
MAPPING = """\
kind = "activities"
source = "crm"
[columns]
external_id = "Id"
owner = "Owner"
type = "Type"
occurred_at = "When"
"""
# Imports the file in two processes, and stops still once its parser runs (see the test).
KILLED_IMPORT = """\
import multiprocessing, sys, time
import django
django.setup()
from followthrough.ingest import parsing
# Small batches and queues: the parser soon waits for this process, which stops reading.
parsing.BATCH, parsing.AHEAD, parsing.PIPE_BYTES = 100, 1, 4096
from followthrough.ingest import importer
from followthrough.ingest.importer import Options, import_file, start_run
# Report after every batch: on an idle machine the file is parsed within one report period.
importer.PROGRESS_EVERY = 0
from followthrough.ingest.mapping import load_mapping
from followthrough.people.models import Organisation

def stand_still(run):
    children = multiprocessing.active_children()
    if children:
        print(run.pk, children[0].pid, flush=True)
        time.sleep(3600)

org = Organisation.objects.get(slug="acme")
mapping = load_mapping(sys.argv[2])
options = Options(parallel_from=0)
run = start_run(org, mapping, "activities.csv", options)
import_file(run, sys.argv[1], mapping, options, progress=stand_still)
"""


def gone(pid: int) -> bool:
    """Whether process `pid` has ended (a zombie waiting to be reaped has)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


@unittest.skipUnless(sys.platform == "linux", "process checks read /proc")
class ImportProcessTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        folder = tempfile.TemporaryDirectory()
        cls.addClassCleanup(folder.cleanup)
        cls.folder = Path(folder.name)
        cls.env = {
            **os.environ,
            "FOLLOWTHROUGH_VAR": str(cls.folder),
            "DJANGO_SETTINGS_MODULE": "followthrough.settings",
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        }
        cls.env.pop("DATABASE_URL", None)
        cls.database = cls.folder / "followthrough.sqlite3"
        cls.cli("migrate", "-v0")
        cls.cli("organisation", "add", "Acme", "--slug", "acme")
        with sqlite3.connect(cls.database) as db:
            (org,) = db.execute("SELECT id FROM people_organisation").fetchone()
        cls.python(
            "from followthrough.people.models import Person\n"
            f"Person.objects.create(organisation_id={org}, name='Ann', external_id='ann')"
        )
        cls.mapping = cls.folder / "activities.toml"
        cls.mapping.write_text(MAPPING)

    @classmethod
    def cli(cls, *args, check=True, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "followthrough"), *args],
            env=cls.env,
            check=check,
            capture_output=True,
            text=True,
            **kwargs,
        )

    @classmethod
    def python(cls, code: str) -> None:
        setup = "import django\ndjango.setup()\n"
        subprocess.run([sys.executable, "-c", setup + code], env=cls.env, check=True)

    def activities(self, name: str, rows: int, first: int = 0) -> Path:
        lines = ["Id,Owner,Type,When"]
        lines += [f"{name}{i},ann,call,2025-03-01 09:{i % 60:02d}:00" for i in range(first, rows)]
        path = self.folder / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n")
        return path

    def status(self, run: int) -> tuple[str, str]:
        with sqlite3.connect(self.database) as db:
            return db.execute(
                "SELECT status, message FROM ingest_importrun WHERE id = ?", [run]
            ).fetchone()

    def import_cli(self, path: Path, *args, **kwargs) -> subprocess.CompletedProcess:
        return self.cli(
            "import",
            "activities",
            str(path),
            "--mapping",
            str(self.mapping),
            "--no-progress",
            *args,
            check=False,
            **kwargs,
        )

    @unittest.skipUnless(usable_cores() > 1, "a single core parses in one process")
    def test_a_killed_import_takes_its_parser_with_it_and_is_failed_at_the_next_start(self):
        script = self.folder / "killed.py"
        script.write_text(KILLED_IMPORT)
        path = self.activities("K", 20_000)
        process = subprocess.Popen(
            [sys.executable, str(script), str(path), str(self.mapping)],
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(process.wait)
        self.addCleanup(process.kill)
        line = process.stdout.readline()
        self.assertTrue(line, "the import ended before its parser started")
        run, child = map(int, line.split())
        self.assertFalse(gone(child))
        self.assertEqual(self.status(run)[0], "reading")

        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while not gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(gone(child), "the parser outlived the import it parsed for")

        done = self.import_cli(self.activities("N", 3))
        self.assertEqual(done.returncode, 0, done.stderr)
        status, message = self.status(run)
        self.assertEqual(status, "failed")
        self.assertIn("ended before the import did", message)
        # The next start after that finds nothing more to mark.
        self.assertEqual(self.import_cli(self.activities("M", 3)).returncode, 0)
        self.assertEqual(self.status(run), (status, message))

    def test_an_import_waits_for_another_writer_to_finish(self):
        path = self.activities("W", 5)
        with sqlite3.connect(self.database, isolation_level=None) as db:
            db.execute("BEGIN IMMEDIATE")  # another import, writing
            waiting = subprocess.Popen(
                [str(BIN / "followthrough"), "import", "activities", str(path), "--mapping"]
                + [str(self.mapping), "--no-progress"],
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            time.sleep(25)  # longer than the database's own 20 s timeout
            self.assertIsNone(waiting.poll(), "the import did not wait")
            db.execute("COMMIT")
        out, err = waiting.communicate(timeout=120)
        self.assertEqual(waiting.returncode, 0, err)
        self.assertIn("5 rows read; created 5,", out)

    def test_an_import_that_waited_too_long_says_so_without_a_traceback(self):
        path = self.activities("B", 5)
        with sqlite3.connect(self.database, isolation_level=None) as db:
            db.execute("BEGIN IMMEDIATE")
            refused = self.import_cli(path, "--wait", "1", timeout=120)
            db.execute("ROLLBACK")
        self.assertEqual(refused.returncode, 1)
        self.assertNotIn("Traceback", refused.stderr)
        self.assertIn("the database stayed busy with another import for 1 s", refused.stderr)
        self.assertIn("nothing was imported", refused.stderr)
