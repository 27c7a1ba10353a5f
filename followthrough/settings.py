"""Settings: every value comes from the environment; the defaults run embedded (SQLite, no Redis)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from followthrough.lib.env import (
    ConfigError,
    envbool,
    envchoice,
    envint,
    envlist,
    envrate,
    envstr,
    envtimezone,
    envurl,
    parse_database_url,
    parse_email_url,
)

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(envstr("FOLLOWTHROUGH_VAR", str(BASE_DIR.parent / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in var/."""
    key = envstr("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters long")
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = envurl("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip("/")

INSTALLED_APPS = [
    # First, so its login and password templates win over the admin's.
    "followthrough.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here: no CDN
    "django_filters",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "followthrough.people",
    "followthrough.audit",
    "followthrough.crm",
    "followthrough.ingest",
    "followthrough.metrics",
    "followthrough.api",
    "followthrough.goals",
    "followthrough.scorecards",
    "followthrough.coaching",
    "followthrough.assessments",
    "followthrough.programs",
    "followthrough.diagnostics",
    "followthrough.motivation",
    "followthrough.recognition",
    "followthrough.wallboard",
    "followthrough.notify",
    "followthrough.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "followthrough.web.middleware.SecurityHeadersMiddleware",
    "followthrough.api.limits.BodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "followthrough.audit.middleware.AuditActorMiddleware",
]

ROOT_URLCONF = "followthrough.urls"
WSGI_APPLICATION = "followthrough.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "followthrough.web.context.navigation",
                "followthrough.coaching.context.agreement_banner",
                "followthrough.coaching.context.notifications",
            ],
        },
    },
]

# Database: SQLite (WAL) embedded by default; DATABASE_URL=postgres://... in production.
DATABASE_URL = envurl(
    "DATABASE_URL",
    f"sqlite:///{VAR_DIR / 'followthrough.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql"),
)
DATABASES = {"default": {**parse_database_url("DATABASE_URL", DATABASE_URL), "CONN_MAX_AGE": 60}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed while an import writes; IMMEDIATE avoids
        # "database is locked" on write upgrades inside transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    envurl("REDIS_URL", REDIS_URL, schemes=("redis", "rediss"))

# Background jobs: Huey on SQLite embedded, on Redis when REDIS_URL is set.
HUEY = {
    "name": "followthrough",
    "immediate": envbool("HUEY_IMMEDIATE", False),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "consumer": {"workers": envint("HUEY_WORKERS", 2, minimum=1)},
}
if REDIS_URL:
    HUEY["url"] = REDIS_URL
else:
    HUEY["filename"] = str(VAR_DIR / "huey.sqlite3")

# Passwords: argon2 first; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins allowed per account and per client address in LOGIN_WINDOW seconds.
LOGIN_ATTEMPTS = envint("LOGIN_ATTEMPTS", 5, minimum=1)
LOGIN_WINDOW = envint("LOGIN_WINDOW", 900, minimum=1)
# Proxies in front of the web processes that append to X-Forwarded-For; with 0 the
# header is ignored and the client is REMOTE_ADDR (anyone can write the header).
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", 0, minimum=0, maximum=10)
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 3 * 3600, minimum=60)
# How long the link in a new login's invitation lets its person choose a password.
INVITATION_TIMEOUT = envint("INVITATION_TIMEOUT", 7 * 86400, minimum=3600)

# Sessions, cookies and headers.
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000, minimum=0)

# E-mail: real SMTP in production; printed to the console in the embedded default.
EMAIL_URL = envstr("EMAIL_URL", "console://")
globals().update(parse_email_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Followthrough <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Uploads: nothing larger than this is accepted.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
# Any import, from the command line too: files are streamed, so this guards disk, not memory.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 4 * 1024**3, minimum=1024)

# Internationalisation.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("nl", _("Dutch")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers in Chinese grouped by thousands, as the charts show them (formats/zh_Hans).
FORMAT_MODULE_PATH = ["followthrough.formats"]
TIME_ZONE = envtimezone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files: vendored, served by whitenoise; nothing is fetched at run time.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", False)
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "followthrough.api.authentication.AccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["followthrough.api.permissions.IsPerson"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "followthrough.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_CLASSES": ["followthrough.api.throttling.SharedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": envrate("API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Followthrough API",
    "DESCRIPTION": "Sales accountability and coaching.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tags (the docs' sections) by capability: the first path segment after /api/v1/.
    "SCHEMA_PATH_PREFIX": r"/api/v1/",
    # One name per choice set that several fields share (else the schema guesses names).
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "followthrough.coaching.models.meetings.MeetingStatus",
        "ReportIntervalEnum": "followthrough.coaching.models.choices.Interval",
        "RightStatusEnum": "followthrough.diagnostics.findings.STATUS_VALUES",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "followthrough.web.logfilters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envchoice("LOG_LEVEL", "WARNING", LOG_LEVELS)},
    # A 403 is one line at warning level; a 500 keeps its traceback.
    "loggers": {"django.request": {"filters": ["refusals"]}},
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
