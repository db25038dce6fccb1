"""Settings for Sanling, read from environment variables.

SQLite under ``var/`` is the zero set-up default; ``DATABASE_URL`` points at PostgreSQL in production.
"""

import os
import secrets
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
    "sanling.disputes",
    "sanling.dictionary",
    "sanling.assessment",
    "sanling.exchange",
    "sanling.dashboard",
    "sanling.demo",
    "sanling.audit",
    "sanling.api",
]

MIDDLEWARE = [
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

# Four-colour warning (蓝黄橙红) by 达标率: at or above the first threshold is blue, then yellow, orange, red.
WARNING_THRESHOLDS = [float(value) for value in env_list("SANLING_WARNING_THRESHOLDS", "95,90,80")]
UPLOAD_DIR = VAR_DIR / "uploads"
# No event, dispute or period before this year is accepted: it keeps a mistyped 1900-01-01 out of every
# user's period menu. A county that digitises older records lowers it.
EARLIEST_YEAR = int(os.environ.get("SANLING_EARLIEST_YEAR", "2015"))
# Every screen opens on the current year unless a deployment pins one (the demo pins its data's year).
LANDING_YEAR = int(os.environ["SANLING_LANDING_YEAR"]) if os.environ.get("SANLING_LANDING_YEAR") else None
# On PostgreSQL an import of at least this many rows into a table no bigger than the load rebuilds the
# table's secondary indexes and foreign keys after loading instead of maintaining them row by row.
BULK_REBUILD_ROWS = int(os.environ.get("SANLING_BULK_REBUILD_ROWS", "100000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Addresses of reverse proxies whose X-Forwarded-For is believed (for the audit trail and rate limits).
TRUSTED_PROXIES = env_list("SANLING_TRUSTED_PROXIES")

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
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("SANLING_LOGIN_RATE", "10/min"),
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
    "ENUM_NAME_OVERRIDES": {},
}

# --- personal data (PIPL): encryption key and who may unmask ---
# Base64 of 32 random bytes (``sanling personal newkey``); several separated by commas while a rotation runs,
# the first encrypting. Without it, the key file below (one key a line), which a non-production install
# creates on first use with mode 0600; in production a missing key is an error (check sanling.personal.E001).
# Keep the key apart from database backups: a backup without its key is unreadable, a key beside it useless.
SANLING_DATA_KEY = os.environ.get("SANLING_DATA_KEY", "")
SANLING_DATA_KEY_FILE = Path(os.environ.get("SANLING_DATA_KEY_FILE", str(VAR_DIR / "data_key")))
# Roles that may unmask personal fields (always with a reason, always audited); see docs/security.d/pii.md.
SANLING_UNMASK_ROLES = env_list("SANLING_UNMASK_ROLES", "county_admin,town_operator,department_user")
