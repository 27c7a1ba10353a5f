"""The digests' job in real worker processes: a worker killed mid-job and a re-run send
every digest exactly once; two workers on one Redis queue (as on two machines) do each
job's messages exactly once between them."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import redis
from aiosmtpd.controller import Controller

from tests.smtp import free_port
from tests.web.test_serve_worker import environment_for, shell

WAIT_SECONDS = 90
REDIS_DB = 14  # the suite's own: flushed by these tests, never the default 0

# One organisation: a manager and eleven reps who can log in (twelve digests).
SETUP = """
from django.contrib.auth import get_user_model
from followthrough.people.models import Organisation, Person, ReportingLine, Role, Team
import datetime as dt
slug = "SLUG"
org = Organisation.objects.create(name=slug.title(), slug=slug)
team = Team.objects.create(organisation=org, name="Team " + slug)
def person(name, role):
    email = f"{name.lower()}@{slug}.test"
    user = get_user_model().objects.create_user(username=email, email=email, password="x" * 20)
    return Person.objects.create(organisation=org, user=user, name=name, email=email, role=role)
boss = person("Maya", Role.MANAGER)
ReportingLine.objects.create(organisation=org, person=boss, team=team, valid_from=dt.date(2020, 1, 1))
for i in range(11):
    rep = person(f"Rep{i:02d}", Role.REP)
    ReportingLine.objects.create(
        organisation=org, person=rep, manager=boss, team=team, valid_from=dt.date(2020, 1, 1)
    )
print(org.pk)
"""
QUEUE = """
from followthrough.notify.tasks import send_week
for org_id in {ids}:
    for _ in range({times}):
        send_week(org_id)
print("queued")
"""
LEDGER = """
from followthrough.notify.models import Delivery
print(sorted(Delivery.objects.values_list("status", flat=True)))
"""


class SlowBox:
    """Keeps every message; on message `hold_at` it tells the test and holds the sender."""

    def __init__(self, hold_at: int | None = None) -> None:
        self.addresses: list[str] = []
        self.hold_at = hold_at
        self.held = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.addresses.extend(envelope.rcpt_tos)
            count = len(self.addresses)
        if count == self.hold_at:
            self.held.set()
            await asyncio.sleep(2)  # the worker is killed while it waits for this answer
        return "250 Message accepted for delivery"


def worker(environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "followthrough.cli", "run_huey", "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: killed whole, like a lost machine
    )


def kill(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    output, _ = process.communicate(timeout=WAIT_SECONDS)
    return output or ""


def wait_until(condition, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def mail_server():
    servers = []

    def start(box: SlowBox) -> int:
        controller = Controller(box, hostname="127.0.0.1", port=free_port())
        controller.start()
        servers.append(controller)
        return controller.port

    yield start
    for controller in servers:
        controller.stop()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A migrated database file, made once for both tests (migrating is most of a test)."""
    folder = tmp_path_factory.mktemp("migrated")
    environment = environment_for(folder, free_port())
    done = subprocess.run(
        [sys.executable, "-m", "followthrough.cli", "migrate", "-v0"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS * 2,
    )
    assert done.returncode == 0, done.stderr
    return folder / "serve.sqlite3"


def prepared(migrated, tmp_path, port: int, **extra: str) -> dict[str, str]:
    shutil.copy(migrated, tmp_path / "serve.sqlite3")
    environment = environment_for(tmp_path, free_port())
    environment.update(EMAIL_URL=f"smtp://127.0.0.1:{port}", **extra)
    return environment


def test_a_worker_killed_mid_job_and_a_rerun_send_every_digest_exactly_once(
    migrated, tmp_path, mail_server
):
    box = SlowBox(hold_at=5)
    environment = prepared(migrated, tmp_path, mail_server(box))
    org_id = shell(SETUP.replace("SLUG", "acme"), environment)
    shell(QUEUE.format(ids=[int(org_id)], times=1), environment)

    first = worker(environment)
    try:
        assert box.held.wait(WAIT_SECONDS), kill(first)
    finally:
        kill(first)  # mid-job: four digests sent, the fifth in flight
    assert len(box.addresses) == 5

    shell(QUEUE.format(ids=[int(org_id)], times=1), environment)  # the re-run
    second = worker(environment)
    try:
        assert wait_until(lambda: len(box.addresses) >= 12), kill(second)
        time.sleep(2)  # a duplicate would arrive now
    finally:
        output = kill(second)
    counts = Counter(box.addresses)
    assert len(counts) == 12, output
    assert set(counts.values()) == {1}, counts
    # The one in flight is left "sending" (not resent); after STALE it shows as failed.
    assert shell(LEDGER, environment) == str(["sending"] + ["sent"] * 11)


def test_two_workers_on_one_redis_queue_send_each_message_exactly_once(
    migrated, tmp_path, mail_server
):
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis at 127.0.0.1:6379 does not answer (.ci/run starts it)")
    box = SlowBox()
    environment = prepared(migrated, tmp_path, mail_server(box), REDIS_URL=url)
    ids = [int(shell(SETUP.replace("SLUG", s), environment)) for s in ("acme", "globex", "initech")]

    workers = [worker(environment), worker(environment)]
    try:
        time.sleep(3)  # both consumers listening before the jobs arrive
        # Every organisation's week queued three times, as overlapping schedules would.
        shell(QUEUE.format(ids=ids, times=3), environment)
        assert wait_until(lambda: len(box.addresses) >= 36)
        time.sleep(3)  # a duplicate would arrive now
    finally:
        outputs = [kill(w) for w in workers]
    counts = Counter(box.addresses)
    assert len(counts) == 36
    assert set(counts.values()) == {1}, counts
    # Both workers took jobs off the one queue.
    assert all("Executing followthrough.notify.tasks.send_week" in o for o in outputs), outputs
    redis.Redis.from_url(url).flushdb()
