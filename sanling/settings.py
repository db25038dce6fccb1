"""Settings for Sanling, read from environment variables.

SQLite under ``var/`` is the zero set-up default; ``DATABASE_URL`` points at PostgreSQL in production.
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SANLING_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    # Generated once per machine and kept, so sessions survive restarts of a local install.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# SANLING_ENV=production turns on every production default (secure cookies, HSTS, refusal of demo data…);
# each one can still be set on its own through its variable.
PRODUCTION = os.environ.get("SANLING_ENV", "").strip().lower() == "production"

SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "sanling.core.apps.SanlingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "sanling.core",
    "sanling.personal",
    "sanling.accounts",
    "sanling.regions",
    "sanling.departments",
    "sanling.subjects",
    "sanling.events",
    "sanling.organisations",
    "sanling.work",
    "sanling.disputes",
    "sanling.petitions",
    "sanling.grids",
    "sanling.hazards",
    "sanling.keypeople",
    "sanling.visits",
    "sanling.patrols",
    "sanling.meetings",
    "sanling.fieldwork",
    "sanling.targets",
    "sanling.alerts",
    "sanling.reporting",
    "sanling.assignments",
    "sanling.supervision",
    "sanling.reviews",
    "sanling.reports",
    "sanling.scoring",
    "sanling.dictionary",
    "sanling.assessment",
    "sanling.exchange",
    "sanling.dashboard",
    "sanling.demo",
    "sanling.audit",
    "sanling.api",
]

MIDDLEWARE = [
    "sanling.core.requestlog.RequestLogMiddleware",  # outermost: request id and one log line per request
    "sanling.core.health.HealthMiddleware",  # /healthz and /readyz, before host checks and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanling.accounts.middleware.ChosenLanguageMiddleware",  # Chinese unless the user chose otherwise
    "django.middleware.common.CommonMiddleware",
    "sanling.core.middleware.RejectNulCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanling.audit.context.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sanling.urls"
WSGI_APPLICATION = "sanling.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanling.accounts.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanling.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked" upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests run on a file too: an in-memory database shares its tables between threads with table locks
    # that ignore the timeout, so concurrent requests would fail there and nowhere else.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "pytest.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

# Four-colour warning (红橙黄蓝) of regions: per group, data of the warning rule set in force (issue 16,
# sanling.alerts.RegionThreshold), no longer a setting.
UPLOAD_DIR = VAR_DIR / "uploads"
# No event, dispute or period before this year is accepted: it keeps a mistyped 1900-01-01 out of every
# user's period menu. A county that digitises older records lowers it.
EARLIEST_YEAR = int(os.environ.get("SANLING_EARLIEST_YEAR", "2015"))
# Every screen opens on the current year unless a deployment pins one (the demo pins its data's year).
LANDING_YEAR = int(os.environ["SANLING_LANDING_YEAR"]) if os.environ.get("SANLING_LANDING_YEAR") else None
# On PostgreSQL an import of at least this many rows into a table no bigger than the load rebuilds the
# table's secondary indexes and foreign keys after loading instead of maintaining them row by row.
BULK_REBUILD_ROWS = int(os.environ.get("SANLING_BULK_REBUILD_ROWS", "100000"))


# Addresses (or networks, 10.0.0.0/8) of reverse proxies whose X-Forwarded-For is believed, for the audit
# trail and the login lockouts (sanling.core.proxy). Production serves behind nginx on the same machine
# (deploy/), so there the loopback addresses are trusted unless the variable says otherwise.
TRUSTED_PROXIES = env_list("SANLING_TRUSTED_PROXIES", "127.0.0.1,::1" if PRODUCTION else "")

# Rate limits and idempotency replays need a shared cache once more than one process serves:
# set SANLING_CACHE_URL=redis://127.0.0.1:6379/1 there. One process (the default) works with memory.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["SANLING_CACHE_URL"],
        }
        if os.environ.get("SANLING_CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sanling.api.authentication.ApiTokenAuthentication",
        "sanling.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sanling.api.permissions.InScope"],
    "DEFAULT_PAGINATION_CLASS": "sanling.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "sanling.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sanling.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["sanling.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("SANLING_TOKEN_RATE", "20/hour"),
    },
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "三零创建 API",
    "DESCRIPTION": (
        "Sanling API v1: regions, departments, subjects, events, disputes, status and 达标率. "
        "Authenticate with `Authorization: Bearer <token>` (tokens are made on the account page). "
        "POST accepts an `Idempotency-Key` header; PATCH, PUT and DELETE need `If-Match` with the version."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    # Three choice sets share the field name "level": one enum name each, so the schema builds without a
    # warning (issue 17).
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "sanling.regions.models.Level",
        "CaseLevelEnum": "sanling.disputes.models.ResolvedLevel",
        "PetitionLevelEnum": "sanling.events.models.PetitionLevel",
        "WarningColourEnum": "sanling.alerts.models.Colour",
        "SubjectGroupEnum": "sanling.subjects.models.Group",
    },
}

# --- Content-Security-Policy (issue 14, item 1) ---
# Scripts only from our own static files or an inline block carrying the request's nonce; no eval, no
# inline handlers, no style attributes or unnonced <style>; nothing from another origin. See docs/security.md.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "sanling.core.csp.ContentSecurityPolicyMiddleware",
)
TEMPLATES[0]["OPTIONS"]["context_processors"].append("sanling.core.csp.csp")
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce'"],  # 'nonce' becomes this request's 'nonce-…'
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # Swagger UI's stylesheet draws its icons as data: SVG
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if os.environ.get("SANLING_CSP_REPORT_URI"):  # where browsers send violation reports (a collector of yours)
    SECURE_CSP["report-uri"] = [os.environ["SANLING_CSP_REPORT_URI"]]
SECURE_CSP_REPORT_ONLY: dict[str, list[str]] = {}
# Swagger UI would show a badge from validator.swagger.io, sending it our schema's address.
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}

# --- audit trail key, anchors and retention (demoaudit) ---
# Entries are chained with HMAC-SHA256 under a key the database does not hold: SANLING_AUDIT_KEY, or else the
# key file (created 0600 on first use outside production; production requires one of the two, checked by
# `sanling check`). Keys retired by a rotation stay listed in SANLING_AUDIT_OLD_KEYS (comma-separated) so
# the entries they signed keep verifying. Back the key up apart from the database (docs/operations.md).
AUDIT_KEY = os.environ.get("SANLING_AUDIT_KEY", "")
AUDIT_KEY_FILE = Path(os.environ.get("SANLING_AUDIT_KEY_FILE", VAR_DIR / "audit_key"))
AUDIT_OLD_KEYS = env_list("SANLING_AUDIT_OLD_KEYS")
# Audit entries are kept at least this many days (never fewer than 180); `sanling audit archive` refuses a
# later cut-off, and nothing in the application deletes an entry.
AUDIT_RETENTION_DAYS = max(
    180, int(os.environ.get("SANLING_AUDIT_RETENTION_DAYS", "180"))
)  # 等保: ≥ 6 months

# --- lockout: login failures, client addresses, API token lifetime (issue 14, items 3 and 6) ---
# An account is locked after this many failed password logins within the window, whatever address they
# came from; a source address after LOGIN_SOURCE_FAILURES failures against any accounts. Locks last
# LOGIN_LOCKOUT_MINUTES or until `sanling unlock` / the lockouts page lifts them.
LOGIN_ACCOUNT_FAILURES = int(os.environ.get("SANLING_LOGIN_ACCOUNT_FAILURES", "5"))
LOGIN_SOURCE_FAILURES = int(os.environ.get("SANLING_LOGIN_SOURCE_FAILURES", "20"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("SANLING_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("SANLING_LOGIN_LOCKOUT_MINUTES", "15"))
# The lock is checked by the one backend every password login goes through (web, admin, API token).
AUTHENTICATION_BACKENDS = ["sanling.accounts.lockout.LockoutModelBackend"]
# No API token lives longer than this many days after it was made (enforced at creation and at use).
API_TOKEN_MAX_DAYS = int(os.environ.get("SANLING_API_TOKEN_MAX_DAYS", "180"))

# --- passwords, second factor and sessions (issue 14 items 4 and 7: 身份鉴别, 剩余信息保护) ---
# See docs/security.md and docs/operations.md. Production defaults hang on PRODUCTION.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
MIDDLEWARE[_auth:_auth] = [
    "sanling.accounts.middleware.NoStoreMiddleware",  # no-store on every signed-in page and API answer
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor was given
    "sanling.accounts.middleware.SessionLimitsMiddleware",  # idle timeout and absolute lifetime
    "sanling.accounts.middleware.SecurityGateMiddleware",  # code, forced password change, enrolment first
]
PASSWORD_MIN_LENGTH = int(os.environ.get("SANLING_PASSWORD_MIN_LENGTH", "8"))
PASSWORD_HISTORY = int(os.environ.get("SANLING_PASSWORD_HISTORY", "5"))  # none of the last N passwords again
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanling.accounts.validators.ComplexityValidator", "OPTIONS": {"min_kinds": 3}},
    {"NAME": "sanling.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"keep": PASSWORD_HISTORY}},
]
# A password older than this many days must be changed at the next login; 0 turns expiry off.
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("SANLING_PASSWORD_MAX_AGE_DAYS", "90" if PRODUCTION else "0"))
# Superusers, county administrators and auditors must enrol an authenticator (TOTP) before anything else.
# Off by default outside production, so the demo logs in with a password alone; whoever has enrolled is
# asked for the code either way.
REQUIRE_SECOND_FACTOR = env_bool("SANLING_REQUIRE_SECOND_FACTOR", PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("SANLING_OTP_ISSUER", "三零创建平台")
# Sessions end after this many idle minutes, and this many hours after login whatever happens.
SESSION_IDLE_SECONDS = 60 * int(os.environ.get("SANLING_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 3600 * int(os.environ.get("SANLING_SESSION_MAX_HOURS", "12"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SANLING_SESSION_END_AT_BROWSER_CLOSE", True)
# One session per account: a new login ends the account's other session.
SINGLE_SESSION = env_bool("SANLING_SINGLE_SESSION", False)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# HTTPS: cookies only over it, HSTS, redirect of plain HTTP, and the reverse proxy's X-Forwarded-Proto
# believed (the proxy must set it and drop any the client sent). All on in production.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SANLING_SECURE_COOKIES", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SANLING_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = env_list("SANLING_SSL_REDIRECT_EXEMPT", r"^healthz$,^readyz$")  # load balancer
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SANLING_PROXY_SSL_HEADER", PRODUCTION) else None
)
SECURE_HSTS_SECONDS = int(os.environ.get("SANLING_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SANLING_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SANLING_HSTS_PRELOAD", PRODUCTION)
# /api/v1/schema/ and /api/v1/docs/ need a login (session or token) unless made public.
API_SCHEMA_PUBLIC = env_bool("SANLING_API_SCHEMA_PUBLIC", False)
# `check --deploy` is about the deployment; the schema's precision is tested with the API (api/tests), and
# drf-spectacular's notes on filter types are no security finding.
SPECTACULAR_SETTINGS["ENABLE_DJANGO_DEPLOY_CHECK"] = False

# --- uploads, exports and backups (issue 14: files) ---
# An uploaded bundle is refused past this size (it is read and thrown away, never stored), an archive
# (.zip, .xlsx) past this many members, this much per member or this much in all once unpacked (checked
# from its directory before unpacking, and again while reading).
UPLOAD_MAX_BYTES = int(float(os.environ.get("SANLING_UPLOAD_MAX_MB", "20")) * 1024 * 1024)
UPLOAD_MAX_MEMBERS = int(os.environ.get("SANLING_UPLOAD_MAX_MEMBERS", "50"))
UPLOAD_MAX_MEMBER_BYTES = int(float(os.environ.get("SANLING_UPLOAD_MAX_MEMBER_MB", "50")) * 1024 * 1024)
UPLOAD_MAX_UNPACKED_BYTES = int(float(os.environ.get("SANLING_UPLOAD_MAX_UNPACKED_MB", "100")) * 1024 * 1024)
# A bundle checked but never confirmed is deleted after this long (at the next upload, or by
# `sanling uploads prune`); a confirmed or refused one at once.
UPLOAD_RETENTION_MINUTES = int(os.environ.get("SANLING_UPLOAD_RETENTION_MINUTES", "60"))
# Files up to this size stay in memory while they arrive, larger ones go to a temporary file Django
# deletes at the end of the request; the first handler stops any file past UPLOAD_MAX_BYTES.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(
    float(os.environ.get("SANLING_FILE_UPLOAD_MAX_MEMORY_MB", "2.5")) * 1024 * 1024
)
FILE_UPLOAD_HANDLERS = [
    "sanling.exchange.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# `sanling backup` / `sanling restore` on PostgreSQL run pg_dump and pg_restore from PATH, or from this
# folder (their major version must be at least the server's).
BACKUP_PG_BIN_DIR = os.environ.get("SANLING_PG_BIN_DIR", "")

# --- health, logs and availability (issue 14, item 15) ---
# Logs are JSON lines on stderr (one per request, with its X-Request-ID); SANLING_LOG_FORMAT=text for a terminal.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = __import__("sanling.core.requestlog", fromlist=["logging_config"]).logging_config(
    json_lines=os.environ.get("SANLING_LOG_FORMAT", "json").strip().lower() != "text",
    level=LOG_LEVEL,
    access_log=env_bool("SANLING_ACCESS_LOG", True),
)
# /readyz checks the migration plan at most this often per process (the database itself on every probe).
READY_CACHE_SECONDS = int(os.environ.get("SANLING_READY_CACHE_SECONDS", "30"))
# What a 503 (database out of reach) tells clients to wait before trying again.
RETRY_AFTER_SECONDS = int(os.environ.get("SANLING_RETRY_AFTER_SECONDS", "30"))
# (The health endpoints are answered before SecurityMiddleware, so SANLING_SSL_REDIRECT_EXEMPT never matters
# to them; its default names them all the same.)

# --- personal data (PIPL): encryption key and who may unmask ---
# Base64 of 32 random bytes (``sanling personal newkey``); several separated by commas while a rotation runs,
# the first encrypting. Without it, the key file below (one key a line), which a non-production install
# creates on first use with mode 0600; in production a missing key is an error (check sanling.personal.E001).
# Keep the key apart from database backups: a backup without its key is unreadable, a key beside it useless.
SANLING_DATA_KEY = os.environ.get("SANLING_DATA_KEY", "")
SANLING_DATA_KEY_FILE = Path(os.environ.get("SANLING_DATA_KEY_FILE", str(VAR_DIR / "data_key")))
# Roles that may unmask personal fields (always with a reason, always audited); see docs/security.md.
SANLING_UNMASK_ROLES = env_list("SANLING_UNMASK_ROLES", "county_admin,town_operator,department_user")

# --- casework (issue 17): background jobs, attachments, reminders ---
INSTALLED_APPS += ["huey.contrib.djhuey"]
# Background jobs (huey): Redis in production when SANLING_REDIS_URL is set; otherwise a SQLite file beside
# the database, so the embedded mode needs nothing. SANLING_JOBS_IMMEDIATE=1 (the tests) runs each job at
# once, in the caller's process.
REDIS_URL = os.environ.get("SANLING_REDIS_URL", "")
JOBS_IMMEDIATE = env_bool("SANLING_JOBS_IMMEDIATE", "pytest" in sys.modules)
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "sanling", "url": REDIS_URL, "immediate": JOBS_IMMEDIATE}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "sanling",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": JOBS_IMMEDIATE,
    }
# Evidence files live here, outside the web root, under their SHA-256; only a scope-checked view serves them.
ATTACHMENT_DIR = Path(os.environ.get("SANLING_ATTACHMENT_DIR", str(VAR_DIR / "attachments")))
ATTACHMENT_MAX_BYTES = int(os.environ.get("SANLING_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# --- work-inbox (issue 17) ---
# 我的待办: the count badge in the navigation (one query per page, cached on the request).
TEMPLATES[0]["OPTIONS"]["context_processors"].append("sanling.work.context_processors.work_counts")
# The daily reminders (``sanling remind``, the 07:00 job): tell handlers of items due within this many days
# and of overdue ones, and the organisation's head once an item is this many days overdue.
SANLING_REMIND_DUE_DAYS = int(os.environ.get("SANLING_REMIND_DUE_DAYS", "3"))
SANLING_REMIND_HEAD_AFTER_DAYS = int(os.environ.get("SANLING_REMIND_HEAD_AFTER_DAYS", "3"))
# Huey's schedule is read in local time (Asia/Shanghai), so "07:00" is the county's morning, not UTC's.
HUEY["utc"] = False
# E-mail through Django's settings; reminders are e-mailed only when a mail server is configured.
EMAIL_HOST = os.environ.get("SANLING_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SANLING_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SANLING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SANLING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SANLING_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("SANLING_EMAIL_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("SANLING_EMAIL_TIMEOUT_SECONDS", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("SANLING_EMAIL_FROM", "sanling@localhost")
SANLING_REMIND_EMAIL = env_bool("SANLING_REMIND_EMAIL", bool(os.environ.get("SANLING_EMAIL_HOST")))
# Text messages: sanling.work.sms.LogSmsBackend (default: logs a masked number, sends nothing) or
# sanling.work.sms.HttpSmsBackend (POST {"phone", "template", "params"} to SANLING_SMS_URL with the key header).
SANLING_SMS_BACKEND = os.environ.get("SANLING_SMS_BACKEND", "sanling.work.sms.LogSmsBackend")
SANLING_SMS_URL = os.environ.get("SANLING_SMS_URL", "")
SANLING_SMS_KEY = os.environ.get("SANLING_SMS_KEY", "")
SANLING_SMS_KEY_HEADER = os.environ.get("SANLING_SMS_KEY_HEADER", "X-Api-Key")
SANLING_SMS_TEMPLATE = os.environ.get("SANLING_SMS_TEMPLATE", "SANLING_REMINDER")
SANLING_SMS_TIMEOUT_SECONDS = int(os.environ.get("SANLING_SMS_TIMEOUT_SECONDS", "10"))

# --- jobs (issue 17) ---
INSTALLED_APPS += ["sanling.jobs"]
# What jobs make (export files; work folders while they run) lives here, outside the web root, served
# only to the job's owner by /jobs/<id>/file/. The consumer must see the same folder, and UPLOAD_DIR too.
JOBS_DIR = Path(os.environ.get("SANLING_JOBS_DIR", str(VAR_DIR / "jobs")))
# A running job's progress is written at most every so many rows or seconds.
JOBS_PROGRESS_ROWS = int(os.environ.get("SANLING_JOBS_PROGRESS_ROWS", "50000"))
JOBS_PROGRESS_SECONDS = float(os.environ.get("SANLING_JOBS_PROGRESS_SECONDS", "1"))
# Finished jobs and their files are deleted after this many days (nightly, and `sanling jobs prune`).
JOBS_RETENTION_DAYS = int(os.environ.get("SANLING_JOBS_RETENTION_DAYS", "7"))
# Worker threads of the consumer `sanling serve` runs in-process (0: none, when `sanling run_huey` runs
# as a service of its own, as in production).
JOBS_SERVE_WORKERS = int(os.environ.get("SANLING_JOBS_SERVE_WORKERS", "2"))
# A dry run's row errors kept with the job and shown (the count is always kept).
JOBS_REPORT_MAX_ERRORS = int(os.environ.get("SANLING_JOBS_REPORT_MAX_ERRORS", "1000"))
# The consumer's own lines (a job started, finished, failed) go out as ours do, once: `run_huey` adds a
# handler of its own only to a "huey" logger that has none.
LOGGING["loggers"]["huey"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
