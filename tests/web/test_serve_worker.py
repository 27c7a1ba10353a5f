"""`followthrough serve` runs the background-job worker too, and Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.web.test_serve import STARTUP_SECONDS, STOP_SECONDS, free_port, wait_for

JOB_SECONDS = 60

# Queues an import of three deals, as the web page does, in the server's own database.
QUEUE_AN_IMPORT = """
from followthrough.ingest.importer import Options, start_run
from followthrough.ingest.tasks import run_import
from followthrough.ingest.uploads import mapping_from_text, upload_dir
from followthrough.people.models import Organisation

MAPPING = '''
kind = "deals"
source = "crm"
[columns]
external_id = "Deal ID"
name = "Deal"
amount = "Amount"
created_on = "Created"
stage = "Stage"
'''
org = Organisation.objects.create(name="Acme", slug="acme")
chosen = mapping_from_text(MAPPING, "deals", "deals.toml")
run = start_run(org, chosen.mapping, "deals.csv", Options(), MAPPING)
upload_dir().mkdir(parents=True, exist_ok=True)
(upload_dir() / ("0" * 32 + ".csv")).write_text(
    "Deal ID,Deal,Amount,Created,Stage\\n"
    "D-1,Acme renewal,1200.50,2025-01-10,Proposal\\n"
    "D-2,Acme upsell,800,2025-02-01,Contract\\n"
    "D-3,Acme pilot,300,2025-02-03,Discovery\\n"
)
run.stored_file = "0" * 32 + ".csv"
run.save()
run_import(run.pk)
print(run.status)
"""
RUN_STATUS = """
from followthrough.crm.models import Deal
from followthrough.ingest.models import ImportRun
print(ImportRun.objects.get().status, Deal.objects.count())
"""


def environment_for(tmp_path, port: int) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "followthrough.settings",
        "FOLLOWTHROUGH_VAR": str(tmp_path),
        # Its own embedded database and job queue: never the test suite's.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "HUEY_WORKERS": "1",
    }
    for name in ("REDIS_URL", "HUEY_IMMEDIATE"):
        environment.pop(name, None)
    return environment


def shell(script: str, environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "followthrough.cli", "shell", "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def children_of(pid: int) -> list[int]:
    """Every living process whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry))
    return found


def command_of(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read().replace(b"\0", b" ").decode()


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def served(tmp_path):
    port = free_port()
    environment = environment_for(tmp_path, port)
    process = subprocess.Popen(
        [sys.executable, "-m", "followthrough.cli", "serve", "--migrate"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, f"http://127.0.0.1:{port}", environment
    if process.poll() is None:
        process.kill()
        process.wait()


def test_an_import_queued_while_serving_runs_and_ctrl_c_stops_server_and_worker(served):
    process, base, environment = served
    with wait_for(f"{base}/accounts/login/", process, STARTUP_SECONDS) as response:
        assert response.status == 200
    assert shell(QUEUE_AN_IMPORT, environment) == "queued"
    deadline = time.monotonic() + JOB_SECONDS
    status = shell(RUN_STATUS, environment)
    while status != "done 3" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = shell(RUN_STATUS, environment)
    assert status == "done 3"

    children = children_of(process.pid)
    commands = [command_of(pid) for pid in children]
    assert sum("run_huey" in command for command in commands) == 1, commands
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=STOP_SECONDS + 10)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    # Nothing is left behind: neither the job worker nor gunicorn's worker.
    time.sleep(0.5)
    assert [pid for pid in children if alive(pid)] == []


def test_no_worker_serves_without_a_job_worker(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "followthrough.cli", "serve", "--migrate", "--no-worker"],
        env=environment_for(tmp_path, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with wait_for(f"http://127.0.0.1:{port}/accounts/login/", process, STARTUP_SECONDS):
            pass
        commands = [command_of(pid) for pid in children_of(process.pid)]
        assert not any("run_huey" in command for command in commands), commands
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=STOP_SECONDS)
        assert process.returncode == 0, output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
