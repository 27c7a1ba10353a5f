"""Read settings from the environment, failing loudly on malformed values."""

from __future__ import annotations

import os
import re
import zoneinfo
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A setting in the environment is malformed."""


def redact(url: str) -> str:
    """The URL with any password replaced, fit for an error message or a log."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envchoice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, compared without regard to case; returned as spelled in `choices`."""
    raw = os.environ.get(name) or default
    for choice in choices:
        if raw.strip().lower() == choice.lower():
            return choice
    raise ConfigError(f"{name}={raw!r} must be one of: {', '.join(choices)}")


def envtimezone(name: str, default: str) -> str:
    """An IANA time zone name such as Europe/Amsterdam."""
    raw = os.environ.get(name) or default
    try:
        zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name}={raw!r} is not a known time zone: use a name such as Europe/Amsterdam"
        ) from None
    return raw


# The rate syntax Django REST framework reads: a count, a slash and a unit.
RATE_UNITS = ("second", "minute", "hour", "day")


def envrate(name: str, default: str) -> str:
    """A request rate such as 6000/hour."""
    raw = os.environ.get(name) or default
    count, sep, unit = raw.partition("/")
    if not (sep and count.strip().isdigit() and unit.strip() in RATE_UNITS):
        raise ConfigError(
            f"{name}={raw!r} is not a rate: write a count per {', '.join(RATE_UNITS)}, "
            "for example 6000/hour"
        )
    return f"{int(count)}/{unit.strip()}"


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean: use true or false")


def envint(name: str, default: int, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={raw!r} must be at most {maximum}")
    return value


def envlist(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envurl(name: str, default: str, schemes: tuple[str, ...]) -> str:
    """A URL whose scheme must be one of `schemes`."""
    raw = os.environ.get(name) or default
    scheme, sep, _ = raw.partition("://")
    if not sep or scheme not in schemes:
        allowed = ", ".join(f"{s}://" for s in schemes)
        raise ConfigError(f"{name}={redact(raw)!r} must start with one of: {allowed}")
    return raw


def parse_database_url(name: str, url: str) -> dict[str, object]:
    """Django's DATABASES entry from sqlite:///path or postgres://user:pass@host:port/name."""
    import dj_database_url

    try:
        config = dj_database_url.parse(url)
    except (ValueError, dj_database_url.ParseError):
        raise ConfigError(
            f"{name}={redact(url)!r} is not a valid database URL: write "
            "postgres://user:password@host:5432/name (quote special characters)"
        ) from None
    if not config.get("NAME"):
        raise ConfigError(f"{name}={redact(url)!r} names no database: add it after the last slash")
    return config


def parse_email_url(url: str) -> dict[str, object]:
    """Django e-mail settings from smtp://user:pass@host:port, smtps://... or console://."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(
            f"EMAIL_URL={redact(url)!r} must start with smtp://, smtps:// or console://"
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"EMAIL_URL={redact(url)!r} has a malformed port") from None
    query = parse_qs(parts.query)
    use_ssl = parts.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port or (465 if use_ssl else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in ("1", "true", "yes"),
        "EMAIL_TIMEOUT": 10,
    }
