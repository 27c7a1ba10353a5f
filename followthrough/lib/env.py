"""Read settings from the environment, failing loudly on malformed values."""

from __future__ import annotations

import os


class ConfigError(Exception):
    """A setting in the environment is malformed."""


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


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


def envint(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
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
        raise ConfigError(f"{name}={raw!r} must start with one of: {allowed}")
    return raw


def parse_email_url(url: str) -> dict[str, object]:
    """Django e-mail settings from smtp://user:pass@host:port, smtps://... or console://."""
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps"):
        raise ConfigError(f"EMAIL_URL={url!r} must start with smtp://, smtps:// or console://")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"EMAIL_URL={url!r} has a malformed port") from None
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
