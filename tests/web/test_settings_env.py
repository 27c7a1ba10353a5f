"""Settings come from the environment and fail loudly and clearly when malformed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from followthrough.lib.env import ConfigError, parse_database_url, parse_email_url, redact

MALFORMED = [
    ("DATABASE_URL", "mysql://x", "must start with one of: sqlite://, postgres://"),
    ("DATABASE_URL", "postgres://u@h:notaport/db", "is not a valid database URL"),
    ("DATABASE_URL", "postgres://db.example.com", "names no database"),
    ("SESSION_COOKIE_AGE", "abc", "SESSION_COOKIE_AGE='abc' is not a whole number"),
    ("SESSION_COOKIE_AGE", "10", "SESSION_COOKIE_AGE='10' must be at least 300"),
    ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
    ("SECRET_KEY", "short", "SECRET_KEY must be at least 32 characters"),
    ("EMAIL_URL", "smtp://mail.example.com:nope", "has a malformed port"),
    ("EMAIL_URL", "ftp://mail.example.com", "must start with smtp://, smtps:// or console://"),
    ("REDIS_URL", "http://cache:6379", "must start with one of: redis://, rediss://"),
    ("TIME_ZONE", "Mars/Olympus", "is not a known time zone"),
    ("LOG_LEVEL", "LOUD", "must be one of: DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("API_RATE", "lots", "is not a rate"),
    ("SITE_URL", "example.com", "must start with one of: http://, https://"),
    ("HUEY_WORKERS", "0", "HUEY_WORKERS='0' must be at least 1"),
]


def run_followthrough(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SECRET_KEY"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="followthrough.settings",
        FOLLOWTHROUGH_VAR=str(tmp_path),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-m", "followthrough.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(("name", "value", "message"), MALFORMED)
def test_a_malformed_setting_stops_the_command_with_a_clear_message(tmp_path, name, value, message):
    result = run_followthrough(tmp_path, "check", **{name: value})
    assert result.returncode == 2
    assert "configuration error" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_port_stops_serve_before_it_starts(tmp_path):
    result = run_followthrough(tmp_path, "serve", PORT="eighty")
    assert result.returncode == 2
    assert "PORT='eighty' is not a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_while_a_command_starts_stops_it_without_a_traceback(monkeypatch, capsys):
    # The job worker that `serve` starts can be interrupted while it is still importing.
    import django.core.management

    from followthrough import cli

    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(django.core.management, "execute_from_command_line", interrupted)
    monkeypatch.setattr(sys, "argv", ["followthrough", "run_huey"])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_well_formed_settings_pass_the_check(tmp_path):
    result = run_followthrough(
        tmp_path,
        "check",
        SESSION_COOKIE_AGE="3600",
        DEBUG="false",
        TIME_ZONE="Europe/Amsterdam",
        LOG_LEVEL="info",
        API_RATE="100/minute",
        EMAIL_URL="smtp://mail.example.com:587?tls=1",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_password_in_a_malformed_url_is_not_repeated_in_the_message(tmp_path):
    result = run_followthrough(tmp_path, "check", DATABASE_URL="mysql://app:hunter2@db/app")
    assert result.returncode == 2
    assert "hunter2" not in result.stderr
    assert "mysql://app:***@db/app" in result.stderr


def test_redact_hides_only_the_password():
    assert redact("postgres://app:s3cret@db:5432/ft") == "postgres://app:***@db:5432/ft"
    assert redact("redis://:s3cret@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redact("postgres://db:5432/ft") == "postgres://db:5432/ft"


def test_an_smtp_url_with_starttls_and_a_login_becomes_djangos_email_settings():
    settings = parse_email_url("smtp://robot%40acme.test:p%2Fss@mail.acme.test:587?tls=1")
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.acme.test",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "robot@acme.test",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }


def test_an_smtps_url_without_a_port_uses_465_and_ssl():
    settings = parse_email_url("smtps://mail.acme.test")
    assert settings["EMAIL_PORT"] == 465
    assert settings["EMAIL_USE_SSL"] is True
    assert settings["EMAIL_USE_TLS"] is False


def test_the_console_url_prints_e_mail_instead_of_sending_it():
    assert parse_email_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_a_postgres_url_becomes_djangos_database_settings():
    config = parse_database_url("DATABASE_URL", "postgres://app:pw@db.acme.test:6432/ft")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.acme.test", 6432, "ft")
    assert (config["USER"], config["PASSWORD"]) == ("app", "pw")


def test_parse_database_url_raises_a_config_error_rather_than_a_library_error():
    with pytest.raises(ConfigError, match="not a valid database URL"):
        parse_database_url("DATABASE_URL", "postgres://u@h:port/db")
