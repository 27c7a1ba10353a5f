"""Serve the web interface with gunicorn: the embedded default and production alike."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from followthrough.lib.env import envint, envstr

# After SIGTERM, requests in flight get this long (seconds) to finish; after Ctrl-C,
# the workers get it to exit. On a busy machine a worker's exit alone can take seconds.
GRACEFUL_TIMEOUT = 10
MANIFEST = "staticfiles.json"
# After Ctrl-C, the job worker gets this long (seconds) to finish the jobs it is running.
WORKER_STOP_SECONDS = 10


def start_job_worker() -> subprocess.Popen | None:
    """A Huey consumer in a child process, so jobs queued from the web run; None if not needed.

    In the same process group: Ctrl-C in a terminal reaches it as it reaches gunicorn.
    """
    if settings.HUEY.get("immediate"):
        return None  # jobs run as they are queued
    command = [sys.executable, "-m", "followthrough.cli", "run_huey"]
    return subprocess.Popen(command, env=os.environ.copy())


def stop_job_worker(worker: subprocess.Popen) -> None:
    """Ask the consumer to finish its jobs and stop (SIGINT); kill it if it does not."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
    try:
        worker.wait(WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def newest_static_source() -> float:
    """When a static file in the code last changed (its modification time)."""
    newest = 0.0
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            newest = max(newest, Path(storage.path(path)).stat().st_mtime)
    return newest


def static_is_current() -> bool:
    """The collected files are newer than every source: collecting again would change nothing."""
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    return manifest.exists() and manifest.stat().st_mtime >= newest_static_source()


class Command(BaseCommand):
    help = "Serve Followthrough over HTTP (gunicorn), collecting static files first."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=None, help="default: $HOST or 127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=None, help="default: $WEB_WORKERS or 2")
        parser.add_argument(
            "--migrate", action="store_true", help="apply database migrations first"
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="create the demo organisation if it does not exist, and print its logins",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="run no background-job worker (production runs `followthrough run_huey`)",
        )

    def handle(self, *args, host, port, workers, migrate, demo, no_worker, **options):
        from gunicorn.app.base import BaseApplication

        host = host or envstr("HOST", "127.0.0.1")
        port = port or envint("PORT", 8000, minimum=1, maximum=65535)
        workers = workers or envint("WEB_WORKERS", 2, minimum=1)
        # One process does the preparation: each separate command would start Django anew.
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if demo:
            call_command("demo", "--if-empty", stdout=self.stdout, stderr=self.stderr)
        if not static_is_current():
            call_command("collectstatic", interactive=False, verbosity=0)
        # Workers are forked from this process: they must not share its connections.
        connections.close_all()

        from followthrough.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("accesslog", "-")
                self.cfg.set("graceful_timeout", GRACEFUL_TIMEOUT)
                # Nothing here needs gunicorn's control socket, kept in the home directory.
                if "control_socket_disable" in self.cfg.settings:
                    self.cfg.set("control_socket_disable", True)

            def load(self):
                return application

        self.stdout.write(f"Followthrough is serving on http://{host}:{port}/ (Ctrl-C stops it)")
        self.stdout.flush()
        worker = None if no_worker else start_job_worker()
        server = os.getpid()
        try:
            Server().run()
        finally:
            # Gunicorn's forked workers leave through here too: only the server stops the worker.
            if worker is not None and os.getpid() == server:
                stop_job_worker(worker)
