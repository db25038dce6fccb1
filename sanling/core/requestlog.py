"""Structured logs: every request is one JSON line carrying a request id, which the client gets back in
``X-Request-ID`` and the 500 page shows, so a user's report leads straight to the log line (等保 安全审计)."""

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.utils.functional import SimpleLazyObject, empty

HEADER = "X-Request-ID"
# What we accept from a proxy or client as its request id: short, no spaces, nothing to inject into a log.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEALTH_PATHS = ("/healthz", "/readyz")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("sanling.request")


def request_id_for(request) -> str:
    """The request's id: a valid ``X-Request-ID`` it came with (a proxy's), or a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "").strip()
    return given if VALID_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Outermost middleware: gives the request its id, answers with it and logs one line when done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = current_request_id.set(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            if request.path not in HEALTH_PATHS:  # a load balancer probes every few seconds
                _log_request(request, response.status_code, started)
            return response
        finally:
            current_request_id.reset(token)


def _log_request(request, status: int, started: float) -> None:
    from sanling.audit.context import client_ip  # audit imports models; keep this module light

    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        user = None  # never looked at: finding it now would query the database (which may be down)
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    access_log.log(
        level,
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "user_id": user_id,
            "client_ip": client_ip(request),
        },
    )


class RequestIdFilter(logging.Filter):
    """Stamps every record logged while a request is served with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


# Attributes of every LogRecord; anything else on a record came through ``extra`` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the ``extra`` fields and, for
    errors, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or current_request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and key != "request":
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str, access_log: bool) -> dict:
    """settings.LOGGING: JSON lines on stderr (``SANLING_LOG_FORMAT=text`` for a terminal)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "sanling.core.requestlog.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "sanling.core.requestlog.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "sanling.request": {"level": "INFO" if access_log else "ERROR"},
            # One line per request is ours; django.request would repeat every 4xx ("Not Found: …"). Its
            # errors stay: they carry the traceback under the same request id.
            "django.request": {"level": "ERROR"},
        },
    }
