"""`followthrough serve` prepares the database, serves the login page and stops on Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

STARTUP_SECONDS = 60
STOP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> urllib.request.Request:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early with {process.returncode}")
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {url} within {seconds} s")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "followthrough.settings",
        "FOLLOWTHROUGH_VAR": str(tmp_path),
        # Its own embedded database: never the one the test suite runs on.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "PORT": str(port),
        "WEB_WORKERS": "1",
    }
    environment.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "followthrough.cli", "serve", "--migrate"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, f"http://127.0.0.1:{port}"
    if process.poll() is None:
        process.kill()
        process.wait()


def test_serve_migrates_serves_the_login_page_and_stops_cleanly_on_ctrl_c(server, tmp_path):
    process, base = server
    with wait_for(f"{base}/accounts/login/", process, STARTUP_SECONDS) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "Log in to Followthrough" in page
    assert (tmp_path / "serve.sqlite3").exists()
    # Static files are collected, hashed and served by the same process.
    stylesheet = page.split('<link rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/web/app.") and stylesheet != "/static/web/app.css"
    with urllib.request.urlopen(base + stylesheet, timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/css")

    # Ctrl-C is gunicorn's quick shutdown: let the worker finish logging the last request.
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=STOP_SECONDS)
    assert process.returncode == 0, output
    assert f"Followthrough is serving on {base}/" in output
    assert "Traceback" not in output, output
    # The workers exited by themselves, in time: gunicorn did not have to kill them.
    assert "SIGKILL" not in output, output
