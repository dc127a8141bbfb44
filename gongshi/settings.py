"""Gongshi settings. Everything comes from the environment (see README "Configuration")."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from gongshi.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(env("GONGSHI_DATA_DIR", str(REPO_DIR / "var")) or "").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", "False")
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    # A development key, stable per data directory, so `make run` works with nothing set.
    # Production sets SECRET_KEY (or SECRET_KEY_FILE); the "django-insecure-" prefix makes
    # `check --deploy` flag this one (security.W009) if it is ever left in production.
    SECRET_KEY = "django-insecure-dev-key-" + str(DATA_DIR)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# System checks to silence, comma-separated (e.g. the holiday-calendar warning in CI's checks).
SILENCED_SYSTEM_CHECKS = envlist("GONGSHI_SILENCED_CHECKS", "")
SITE_URL = (env("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "gongshi.core",
    "gongshi.accounts",
    "gongshi.regions",
    "gongshi.organisations",
    "gongshi.projects",
    "gongshi.catalogue",
    "gongshi.files",
    "gongshi.disclosures",
    "gongshi.registrations",
    "gongshi.integrity",
    "gongshi.scancheck",
    "gongshi.workspace",
    "gongshi.public",
    "gongshi.participation",
    "gongshi.households",
    "gongshi.supervision",
    "gongshi.opendata",
    "gongshi.reminders",
    "gongshi.demo",
    "gongshi.ops",
    "gongshi.accounts.apps.GongshiAdminConfig",  # django.contrib.admin, requiring TOTP
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",  # make dev serves static files as make run does
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the request id, the JSON request log line and the metrics cover every response.
    "gongshi.ops.middleware.RequestMiddleware",
    # Brotli or gzip for text responses (HTML, JSON, CSV, SVG); see gongshi/core/compression.
    "gongshi.core.compression.CompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files before sessions and auth: no database or cache touched for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous readers of project pages get the stored response before the rest of the
    # stack runs (sessions, CSRF, auth, messages): gongshi/public/page_cache.py.
    "gongshi.public.page_cache.StoredPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
if env("DATABASE_REPLICA_URL", ""):
    # After authentication: only anonymous reads are sent to the replica (gongshi/ops/replica.py).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
        "gongshi.ops.replica.ReplicaReadsMiddleware",
    )

ROOT_URLCONF = "gongshi.urls"
WSGI_APPLICATION = "gongshi.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/workspace/"  # which sends regulators and administrators on to theirs

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongshi.participation.context_processors.calendar_warning",
                "gongshi.reminders.context_processors.unread_notifications",
            ],
        },
    },
]

# Database: SQLite (WAL) under the data directory unless DATABASE_URL names another.
DATABASE_URL = env("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT: the regulator's score-sorted list (10,000 projects, dozens of small
        # correlated counts) is estimated expensive enough to be compiled, and compiling took
        # 4.9 s of a 5.5 s query; without it the query takes 0.6 s (bench/supervision_bench.py).
        # Short OLTP queries never gain from it. A DATABASE_URL ?options=… overrides this.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"].setdefault("TEST", {})
    if test_name := env("GONGSHI_TEST_DATABASE_NAME", ""):
        DATABASES["default"]["TEST"]["NAME"] = test_name
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "gongshi.sqlite3",
            # Kept open between requests: opening the file and running the PRAGMAs below
            # cost more than the one query that answers a cached public page.
            "CONN_MAX_AGE": 60,
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing half-way with "locked".
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# A streaming replica for reads that tolerate lag (anonymous public pages and API reads):
# gongshi/ops/replica.py routes them there; everything else, and every write, uses default.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gongshi.ops.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "gongshi.ops.cache.CountingRedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Per process. Django's default of 300 entries is less than one big project page's
    # sections (511 for 500 items: gongshi/public/sections.py), so one render evicted them and
    # every other project's stored page (bench/page_render_bench.py --sections: 872 ms a
    # render instead of 440). Entries average a few KB; the stored pages' own LRU is separate.
    CACHES = {
        "default": {
            "BACKEND": "gongshi.ops.cache.CountingLocMemCache",
            "OPTIONS": {"MAX_ENTRIES": envint("GONGSHI_LOCAL_CACHE_ENTRIES", "5000")},
        }
    }

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Sign-in: GONGSHI_LOGIN_MAX_FAILURES wrong passwords for one username from one address
# within GONGSHI_LOGIN_WINDOW_SECONDS lock that pair out until the window ends
# (gongshi/accounts/throttle.py). Staff and regulators also need TOTP (django-otp).
GONGSHI_LOGIN_MAX_FAILURES = envint("GONGSHI_LOGIN_MAX_FAILURES", "5")
GONGSHI_LOGIN_WINDOW_SECONDS = envint("GONGSHI_LOGIN_WINDOW_SECONDS", "900")
OTP_TOTP_ISSUER = "Gongshi 公示"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing one before collectstatic
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# Files: local disk by default, S3-compatible object storage when S3_BUCKET is set.
S3_BUCKET = env("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
            "region_name": env("S3_REGION", "") or None,
            "access_key": env("S3_ACCESS_KEY", "") or None,
            "secret_key": env("S3_SECRET_KEY", "") or None,
            "file_overwrite": False,
            "querystring_auth": envbool("S3_QUERYSTRING_AUTH", "False"),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Static files: collectstatic writes compressed (gzip, Brotli) copies with content hashes in
# their names, served by whitenoise with a year's caching (or by nginx from STATIC_ROOT).
# GONGSHI_STATIC_MANIFEST=False (make dev) serves the app directories as they are instead.
GONGSHI_STATIC_MANIFEST = envbool("GONGSHI_STATIC_MANIFEST", "True")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if GONGSHI_STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not GONGSHI_STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not GONGSHI_STATIC_MANIFEST

# Uploads always stream to a temporary file: a 50 MB scan is never held in memory.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
# Inspection frequency (§6.3): a project under key supervision is inspected every
# GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS days (the decision's default, which it may change),
# any other project that was inspected every GONGSHI_INSPECTION_INTERVAL_DAYS days.
GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS = envint("GONGSHI_KEY_SUPERVISION_INSPECTION_DAYS", "30")
GONGSHI_INSPECTION_INTERVAL_DAYS = envint("GONGSHI_INSPECTION_INTERVAL_DAYS", "180")
# Complaint frequency (Hefei's practice): a project with more questions and complaints per
# 10,000 m² of floor area than this is put on the key-supervision worklist.
GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD = float(
    env("GONGSHI_COMPLAINT_FREQUENCY_THRESHOLD", "2") or "2"
)
GONGSHI_MAX_UPLOAD_BYTES = envint("GONGSHI_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "gongshi.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongshi API",
    "DESCRIPTION": "住宅工程质量信息公示 — residential project quality information disclosure.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # One schema name per shared choice set, used by several fields (and a clean check --deploy).
    "ENUM_NAME_OVERRIDES": {
        "RequirementLevelEnum": "gongshi.catalogue.models.RequirementLevel",
        "UnitRoleEnum": "gongshi.core.choices.UnitRole",
        "ActionKindEnum": "gongshi.supervision.models.ActionKind",
    },
}

# --- Security (docs/security.md) ------------------------------------------------------------
# HTTPS settings default to on when SITE_URL is https (the deployment sits behind a TLS proxy);
# each SECURE_* variable still overrides.
_HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "False")
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", str(_HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if _HTTPS else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if envbool("SECURE_PROXY_SSL", str(_HTTPS)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): nothing inline runs or styles a page without the
# request's nonce; only the embeddable widget may be framed (gongshi.public.views.paper).
# GONGSHI_CSP_REPORT_ONLY=True sends the same policy as Content-Security-Policy-Report-Only.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("csp.context_processors.nonce")
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "report-uri": ["/csp-report/"],
    }
}
# Personal data encrypted at rest (gongshi.core.crypto): Fernet keys, newest first, and the
# HMAC key of the lookup hashes; both derived from SECRET_KEY when unset (development).
GONGSHI_DATA_KEYS = envlist("GONGSHI_DATA_KEYS", "")
GONGSHI_LOOKUP_KEY = env("GONGSHI_LOOKUP_KEY", "") or ""
# Askers' and visitors' contacts and names are anonymised this many days after the question
# or the open day (`gongshi purge_personal_data`, run daily; gongshi.participation.retention).
GONGSHI_PERSONAL_DATA_RETENTION_DAYS = envint("GONGSHI_PERSONAL_DATA_RETENTION_DAYS", "730")

# Abuse limits (gongshi.core.ratelimit): counted in the shared cache, 429 with Retry-After.
# GONGSHI_RATE_LIMIT_SCALE multiplies every limit (e.g. 10 for a load test; never 0).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django_otp.middleware.OTPMiddleware") + 1,
    "gongshi.core.ratelimit.RateLimitMiddleware",
)
GONGSHI_RATE_LIMIT_SCALE = float(env("GONGSHI_RATE_LIMIT_SCALE", "1") or "1")
GONGSHI_CSP_REPORT_ONLY = envbool("GONGSHI_CSP_REPORT_ONLY", "False")
if GONGSHI_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
    CONTENT_SECURITY_POLICY = None
else:
    CONTENT_SECURITY_POLICY = _CSP

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@gongshi.invalid")

# Logs: one JSON object per line on standard error (GONGSHI_LOG_FORMAT=text for plain
# lines), each with the request id; one line per request from gongshi.request at INFO
# (GONGSHI_REQUEST_LOG=False turns it off); errors carry their traceback in the same line.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "gongshi.ops.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "gongshi.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("GONGSHI_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "gongshi.request": {
            "level": "INFO" if envbool("GONGSHI_REQUEST_LOG", "True") else "WARNING",
        },
    },
}

# The web server (gongshi/ops/gunicorn_conf.py): processes × threads per process. SQLite
# takes one writer at a time, so threads (not more processes) carry most of the concurrency.
GONGSHI_WEB_WORKERS = envint("GONGSHI_WEB_WORKERS", str(min(max(os.cpu_count() or 1, 2), 8)))
GONGSHI_WEB_THREADS = envint("GONGSHI_WEB_THREADS", "4")
GONGSHI_WEB_TIMEOUT = envint("GONGSHI_WEB_TIMEOUT", "60")

# Metrics (/metrics, Prometheus text): from these networks, or with "Authorization: Bearer"
# and the token. Behind a proxy every request comes from the proxy's address, so the
# documented nginx config refuses /metrics from outside.
GONGSHI_METRICS_TOKEN = env("GONGSHI_METRICS_TOKEN", "")
GONGSHI_METRICS_ALLOW = [
    ipaddress.ip_network(network, strict=False)
    for network in envlist("GONGSHI_METRICS_ALLOW", "127.0.0.1/32,::1/128")
]
# Reverse proxies whose X-Real-IP names the client (deploy/nginx sets it): REMOTE_ADDR is
# rewritten for requests from these networks only. Empty: REMOTE_ADDR is the peer.
GONGSHI_TRUSTED_PROXIES = [
    ipaddress.ip_network(network, strict=False)
    for network in envlist("GONGSHI_TRUSTED_PROXIES", "")
]
# Readiness (/readyz) fails when a queued task has waited this long (no worker running) or
# log entries have gone this long without a signed checkpoint.
GONGSHI_READY_MAX_TASK_AGE_SECONDS = envint("GONGSHI_READY_MAX_TASK_AGE_SECONDS", "600")
GONGSHI_READY_MAX_CHECKPOINT_AGE_SECONDS = envint("GONGSHI_READY_MAX_CHECKPOINT_AGE_SECONDS", "900")

# A publication more than this many days after the information came into being is "late".
GONGSHI_TIMELINESS_THRESHOLD_DAYS = envint("GONGSHI_TIMELINESS_THRESHOLD_DAYS", "7")
# Reminders (gongshi send_reminders): the developer hears N working days before an item falls
# due, the area's regulators once it is overdue more than M working days, the developer and
# the asker K working days before an answer deadline (GONGSHI_REMIND_ASKERS=False: not askers).
GONGSHI_REMIND_ITEM_WORKING_DAYS = envint("GONGSHI_REMIND_ITEM_WORKING_DAYS", "3")
GONGSHI_ESCALATE_AFTER_WORKING_DAYS = envint("GONGSHI_ESCALATE_AFTER_WORKING_DAYS", "5")
GONGSHI_REMIND_QUESTION_WORKING_DAYS = envint("GONGSHI_REMIND_QUESTION_WORKING_DAYS", "2")
GONGSHI_REMIND_ASKERS = envbool("GONGSHI_REMIND_ASKERS", "True")

GONGSHI_SITE_NAME = _("住宅工程质量信息公示平台")

# Publication log (gongshi.integrity): the checkpoint origin line and the Ed25519 key that
# signs checkpoints — base64 of the 32-byte seed or a PEM key, in GONGSHI_LOG_SIGNING_KEY or
# the file GONGSHI_LOG_SIGNING_KEY_FILE; with neither, the demo key that
# `gongshi ensure_signing_key` writes to GONGSHI_LOG_DEMO_KEY_PATH.
GONGSHI_LOG_ORIGIN = env("GONGSHI_LOG_ORIGIN", "") or (SITE_URL.split("://", 1)[-1] + "/log")
GONGSHI_LOG_SIGNING_KEY = env("GONGSHI_LOG_SIGNING_KEY", "")
GONGSHI_LOG_DEMO_KEY_PATH = DATA_DIR / "log-signing-key.pem"
# Witnesses that cosign checkpoints (C2SP tlog-witness): entries separated by newlines or
# ";", each "<witness verifier key> <submission URL prefix>". Pushed by the task worker and
# `gongshi checkpoint`, never in a request; GONGSHI_WITNESS_TIMEOUT seconds per request.
GONGSHI_WITNESSES = [
    tuple(chunk.split())
    for chunk in (env("GONGSHI_WITNESSES", "") or "").replace(";", "\n").splitlines()
    if chunk.strip()
]
GONGSHI_WITNESS_TIMEOUT = envint("GONGSHI_WITNESS_TIMEOUT", "10")
# Where `gongshi export_tiles` writes the log as static tiles (nginx serves /tile/ from it).
GONGSHI_TILES_DIR = Path(env("GONGSHI_TILES_DIR", "") or DATA_DIR / "tiles")
