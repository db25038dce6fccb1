"""Health for a load balancer, and a plain answer when the database is gone.

``/healthz``: the process is alive (never touches the database). ``/readyz``: the database answers and every
migration is applied. Both are answered by the outermost middleware, before host checks, sessions, login
and the HTTPS redirect: a load balancer probes by address over plain HTTP and holds no session.
"""

import threading
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# One check of the migration plan per process every READY_CACHE_SECONDS: loading the migration graph reads
# every migration file, too much for a probe every two seconds.
_ready_lock = threading.Lock()
_migrations_checked_at: float | None = None


def database_problem() -> str:
    """ "" if the database answers and is fully migrated; otherwise why not (in the user's language)."""
    global _migrations_checked_at
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        now = time.monotonic()
        with _ready_lock:
            fresh = (
                _migrations_checked_at is not None
                and now - _migrations_checked_at < settings.READY_CACHE_SECONDS
            )
            if not fresh:
                from django.db.migrations.executor import MigrationExecutor

                executor = MigrationExecutor(connection)
                if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                    _migrations_checked_at = None
                    return _("The database is not migrated yet.")
                _migrations_checked_at = now
    except (OperationalError, InterfaceError):
        return _("The database cannot be reached.")
    return ""


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` is the database being out of reach (not a bug in a query)."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.connection is None or not connection.is_usable()


def unavailable(request, message: str) -> HttpResponse:
    """503 with Retry-After: JSON in the API's format under /api/, a short Chinese page elsewhere."""
    from sanling.api.errors import error_body

    retry = str(settings.RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("service_unavailable", message), status=503)
    else:
        from django.template.loader import render_to_string

        page = render_to_string(
            "503.html", {"message": message, "request_id": getattr(request, "request_id", "")}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = retry
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        if request.path == "/readyz":
            problem = database_problem()
            body = {"status": "not ready", "reason": problem} if problem else {"status": "ready"}
            return JsonResponse(body, status=503 if problem else 200, headers={"Cache-Control": "no-store"})
        return self.get_response(request)
