"""One error format for every failure of the API: a machine code, a Chinese message, per-field errors.

{"code": "invalid", "message": "提交的数据有误。", "errors": {"occurred_on": ["日期格式错误…"]}}
"""

import sys

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from sanling.core.concurrency import StaleVersion
from sanling.work.transitions import TransitionRefused

from .parsers import BodyTooLarge


class VersionConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "version_conflict"
    default_detail = gettext_lazy("Someone else changed this record; reload it and try again.")


class TransitionConflict(exceptions.APIException):
    """A move the case's lifecycle does not allow (``work.transitions.TransitionRefused``)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "transition_refused"
    default_detail = gettext_lazy("This step is not allowed for the case as it stands.")


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy("The record has changed since the version in If-Match.")


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = gettext_lazy(
        "Say which version you are changing: send If-Match with the version (or a version field)."
    )


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = gettext_lazy("This Idempotency-Key was already used for a different request.")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documented in the schema for every operation)."""

    code = serializers.CharField(help_text="machine-readable code, e.g. invalid, not_found, version_conflict")
    message = serializers.CharField(help_text="what went wrong, in Chinese")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="field name -> messages (non_field_errors for the record as a whole)",
    )
    current_version = serializers.IntegerField(required=False)


def _flatten(detail) -> dict[str, list[str]]:
    """Field name -> plain messages; nested errors (a list of results, a nested record) are keyed by path:
    ``results[0].item``, ``attendance[2].status``."""
    errors: dict[str, list[str]] = {}
    if not isinstance(detail, dict):
        detail = {"non_field_errors": detail}
    for name, value in detail.items():
        _collect(errors, str(name), value)
    return errors


def _child_key(prefix: str, name) -> str:
    if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
        return f"{prefix}[{name}]"
    return f"{prefix}.{name}" if prefix else str(name)


def _collect(errors: dict[str, list[str]], key: str, value) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _collect(errors, _child_key(key, name), child)
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            if isinstance(child, dict | list | tuple):
                _collect(errors, _child_key(key, index), child)
            else:
                errors.setdefault(key, []).append(str(child))
    else:
        errors.setdefault(key, []).append(str(value))


def error_body(code: str, message: str, errors: dict | None = None, **extra) -> dict:
    body = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return body | extra


def exception_handler(exc, context) -> Response | None:
    """DRF's exception handler, speaking our format; Django's own exceptions are translated first."""
    extra = {}
    if isinstance(exc, StaleVersion):
        exc, extra = VersionConflict(), {"current_version": exc.current}
    elif isinstance(exc, TransitionRefused):
        exc = TransitionConflict(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handler answers (in our format, see server_error)
    if getattr(exc, "current_version", None) is not None:
        extra = {"current_version": exc.current_version}
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        first = next(iter(errors.values()))[0] if errors else ""
        body = error_body("invalid", _("The data sent is not valid: %(first)s") % {"first": first}, errors)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(code, str(exc.detail))
    set_rollback()
    return Response(body | extra, status=exc.status_code, headers=headers)


@csrf_exempt  # nothing happens here; a CSRF refusal would answer in HTML instead of our format
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse(error_body("not_found", _("There is no such address in the API.")), status=404)


def bad_request(request, exception=None, *args, **kwargs):
    """400 for the whole site: JSON in our format under /api/ (a body over the size limit answers 413)."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(error_body("request_too_large", str(BodyTooLarge.default_detail)), status=413)
        return JsonResponse(error_body("bad_request", _("The request could not be understood.")), status=400)
    return defaults.bad_request(request, exception, *args, **kwargs)


def server_error(request, *args, **kwargs):
    """500 for the whole site: JSON in our format under /api/, our page elsewhere, both naming the request
    id the log line carries. A database out of reach is no bug: 503 with Retry-After (sanling.core.health)."""
    from django.http import HttpResponseServerError
    from django.template import loader

    from sanling.core.health import database_unreachable, unavailable

    if database_unreachable(sys.exc_info()[1]):
        return unavailable(request, _("The database cannot be reached; try again in a moment."))
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(
                "server_error",
                _("Something went wrong on the server; it has been logged."),
                request_id=request_id,
            ),
            status=500,
        )
    # Rendered without the request's context processors: they may need the database that just failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": request_id}))
